namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>ffmpeg as an IP camera: loops a clip in real time and publishes it over RTSP.</summary>
internal sealed class Camera : IAsyncDisposable
{
    private Camera(FfmpegProcess process) => Process = process;

    public FfmpegProcess Process { get; }

    public static async Task<Camera> StartAsync(MediaServerHost host, string path, string clip, string transport = "tcp")
    {
        FfmpegProcess process = FfmpegProcess.Start(
            "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip,
            "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, $"rtsp://127.0.0.1:{host.RtspPort}/{path}");
        var camera = new Camera(process);
        if (!await RtspProbe.WaitUntilPublishedAsync(host.RtspPort, path, TimeSpan.FromSeconds(30)))
        {
            string log = process.Stderr;
            await camera.DisposeAsync();
            throw new InvalidOperationException($"The camera never published {path}: {log}");
        }

        return camera;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
