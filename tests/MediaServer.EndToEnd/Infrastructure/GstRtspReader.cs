using System.Text.Json;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>What GStreamer's rtspsrc (default settings) reported after decoding a stream.</summary>
/// <param name="Lost">Packets its jitter buffers found missing.</param>
internal sealed record GstJoinResult(int Frames, long Lost, long Pushed, long Late, string? Error);

/// <summary>GStreamer's rtspsrc as a player, through Scripts/rtspsrc_join.py and the system python (it has gi).</summary>
internal static class GstRtspReader
{
    public static async Task<GstJoinResult> RunAsync(MediaServerHost host, string path, int frames, TimeSpan timeout)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Scripts", "rtspsrc_join.py");
        await using FfmpegProcess python = FfmpegProcess.Start("/usr/bin/python3",
            [script, $"rtsp://127.0.0.1:{host.RtspPort}/{path}", frames.ToString(), timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(await python.WaitForExitAsync(timeout + TimeSpan.FromSeconds(30)), "rtspsrc did not finish: " + python.Stderr);
        string output = System.Text.Encoding.UTF8.GetString(python.Stdout()).Trim();
        Assert.True(python.ExitCode == 0 && output.Length > 0, $"rtspsrc failed ({python.ExitCode}): {python.Stderr}");
        using JsonDocument json = JsonDocument.Parse(output.Split('\n')[^1]);
        JsonElement r = json.RootElement;
        return new GstJoinResult(
            r.GetProperty("frames").GetInt32(), r.GetProperty("lost").GetInt64(), r.GetProperty("pushed").GetInt64(),
            r.GetProperty("late").GetInt64(), r.GetProperty("error").ValueKind == JsonValueKind.Null ? null : r.GetProperty("error").GetString());
    }
}
