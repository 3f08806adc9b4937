using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>ffmpeg publishing a looped clip to a server that runs as its own process.</summary>
internal static class ProcessCamera
{
    /// <summary>Waits for the server to start, then publishes the 4 s-GOP clip to <c>cam1</c> over RTSP/TCP; returns once it is published.</summary>
    public static async Task<FfmpegProcess> PublishAsync(ServerProcess server, TimeSpan deadline)
    {
        Assert.True(await server.WaitForOutputAsync("Application started", deadline), server.Output);
        FfmpegProcess camera = FfmpegProcess.Start(
            "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", await Clips.H264Gop4sAsync(),
            "-c", "copy", "-t", "120", "-f", "rtsp", "-rtsp_transport", "tcp", $"rtsp://127.0.0.1:{server.RtspPort}/cam1");
        Assert.True(await RtspProbe.WaitUntilPublishedAsync(server.RtspPort, "cam1", deadline, () => camera.HasExited), camera.Stderr);
        return camera;
    }
}
