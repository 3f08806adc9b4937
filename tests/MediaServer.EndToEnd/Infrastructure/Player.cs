namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>ffmpeg as a player: reads a path over TCP or UDP and decodes it.</summary>
internal static class Player
{
    /// <summary>Starts a reader with extra output arguments (what to decode and where to put it).</summary>
    public static FfmpegProcess Start(MediaServerHost host, string path, string transport, params string[] output) =>
        FfmpegProcess.Start(
        [
            "-loglevel", "info", "-rtsp_transport", transport, "-timeout", "15000000",
            "-i", $"rtsp://127.0.0.1:{host.RtspPort}/{path}", .. output,
        ]);

    /// <summary>Runs a reader to its end and returns it; fails the test if it does not end in time.</summary>
    public static async Task<FfmpegProcess> RunAsync(MediaServerHost host, string path, string transport, params string[] output)
    {
        FfmpegProcess player = Start(host, path, transport, output);
        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the player did not finish: " + player.Stderr);
        return player;
    }

    /// <summary>Counts "-f framecrc" lines per stream index.</summary>
    public static Dictionary<int, int> FramesPerStream(byte[] framecrc)
    {
        var counts = new Dictionary<int, int>();
        foreach (string line in System.Text.Encoding.ASCII.GetString(framecrc).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int stream = int.Parse(line.AsSpan(0, line.IndexOf(',')));
            counts[stream] = counts.GetValueOrDefault(stream) + 1;
        }

        return counts;
    }
}
