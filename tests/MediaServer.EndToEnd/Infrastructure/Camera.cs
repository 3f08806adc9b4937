using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>ffmpeg as an IP camera: loops a clip in real time and publishes it over RTSP.</summary>
internal sealed partial class Camera : IAsyncDisposable
{
    /// <summary>
    /// A camera stops by itself after this long, so one cannot outlive a crashed test host for long
    /// (dispose kills it well before in every normal run).
    /// </summary>
    private const int MaxPublishSeconds = 300;

    private Camera(FfmpegProcess process) => Process = process;

    public FfmpegProcess Process { get; }

    /// <summary>
    /// How many video frames the camera has sent so far, from its stats line (updated every 0.2 s,
    /// so never more than it really sent).
    /// </summary>
    public int FramesSent
    {
        get
        {
            MatchCollection stats = StatsFrame().Matches(Process.Stderr);
            return stats.Count == 0 ? 0 : int.Parse(stats[^1].Groups[1].ValueSpan);
        }
    }

    public static async Task<Camera> StartAsync(MediaServerHost host, string path, string clip, string transport = "tcp")
    {
        FfmpegProcess process = FfmpegProcess.Start(
            "-loglevel", "warning", "-stats", "-stats_period", "0.2",
            "-re", "-stream_loop", "-1", "-i", clip,
            "-c", "copy", "-t", MaxPublishSeconds.ToString(),
            "-f", "rtsp", "-rtsp_transport", transport, $"rtsp://127.0.0.1:{host.RtspPort}/{path}");
        var camera = new Camera(process);
        if (!await RtspProbe.WaitUntilPublishedAsync(host.RtspPort, path, TimeSpan.FromSeconds(30), () => process.HasExited))
        {
            await camera.DisposeAsync();
            throw new InvalidOperationException($"The camera never published {path}: {process.Stderr}");
        }

        return camera;
    }

    /// <summary>
    /// Waits until the camera has sent at least <paramref name="frames"/> video frames and returns
    /// the count it reported. Setup for tests that join mid-stream; not a timing assertion.
    /// </summary>
    public async Task<int> WaitUntilSentAsync(int frames, TimeSpan deadline)
    {
        if (!await Process.WaitForStderrAsync(_ => FramesSent >= frames, deadline))
        {
            throw new InvalidOperationException($"The camera did not send {frames} frames: {Process.Stderr}");
        }

        return FramesSent;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"^frame=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex StatsFrame();
}
