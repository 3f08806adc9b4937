using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>SIGTERM drains the sessions and exits within the grace period, as systemctl stop expects.</summary>
[Trait("Category", "EndToEnd")]
public class ShutdownTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_ends_the_camera_and_its_reader_politely_and_exits_0()
    {
        await using ServerProcess server = ServerProcess.Start("--Shutdown:GracePeriodSeconds=10");
        await using FfmpegProcess camera = await ProcessCamera.PublishAsync(server, Deadline);
        string url = $"rtsp://127.0.0.1:{server.RtspPort}/cam1";
        await using FfmpegProcess reader = FfmpegProcess.Start(
            "-loglevel", "info", "-stats", "-rtsp_transport", "tcp", "-i", url, "-map", "0:v", "-f", "null", "-");
        Assert.True(await reader.WaitForStderrAsync(s => s.Contains("frame=", StringComparison.Ordinal), Deadline), reader.Stderr);

        server.Terminate();

        Assert.True(await server.WaitForExitAsync(Deadline), "the server did not exit: " + server.Output);
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("draining 2 RTSP connections", server.Output, StringComparison.Ordinal);
        Assert.Contains("Drained", server.Output, StringComparison.Ordinal);
        Assert.True(await reader.WaitForExitAsync(Deadline), "the reader was not ended");
        Assert.True(await camera.WaitForExitAsync(Deadline), "the camera was not ended");
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line()
    {
        await using ServerProcess server = ServerProcess.Start("--Logging:Format=json");
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);
        server.Terminate();
        Assert.True(await server.WaitForExitAsync(Deadline), server.Output);
        string[] lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            using JsonDocument entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out _), line);
        }
    }
}
