namespace MediaServer.LoadGenerator.Tests;

/// <summary>
/// ffmpeg pulls a camera of the generator's camera server, as the media server will, and decodes
/// what it receives: the RTSP answers, the SDP and the stream itself are what a real client takes.
/// </summary>
public class PulledCameraFfmpegTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Ffmpeg_pulls_a_camera_and_decodes_its_frames_without_an_error(string transport)
    {
        var h264 = new SyntheticH264(2000, 30, gopSeconds: 0.5, maxPayload: 1188);
        var cameras = new[] { new PulledCamera("cam0", "load/cam0", h264, 0), new PulledCamera("cam1", "load/cam1", h264, 7) };
        await using CameraRtspServer server = CameraRtspServer.Start(cameras);
        var pacer = new CameraPacer(cameras, h264.FramesPerSecond);
        pacer.Start();
        (int exitCode, string output, string errors) result;
        try
        {
            result = await ClientProcess.RunAsync("ffmpeg", TimeSpan.FromSeconds(60),
                "-nostdin", "-v", "error", "-rtsp_transport", transport, "-i", server.Url(cameras[1]),
                "-frames:v", "5", "-f", "framemd5", "-");
        }
        finally
        {
            pacer.Stop();
        }

        Assert.True(result.exitCode == 0, result.errors);
        Assert.Equal("", result.errors.Trim());
        string[] frames = [.. result.output.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#'))];
        Assert.Equal(5, frames.Length);
        Assert.Contains("#dimensions 0: 320x240", result.output, StringComparison.Ordinal);
        Assert.Equal(1, cameras[1].Plays);
        Assert.Equal(0, cameras[0].Plays);
        Assert.Equal(0, cameras[1].SendFailures);
        Assert.True(cameras[1].PacketsSent > 5, $"{cameras[1].PacketsSent} packets sent");
    }
}
