namespace MediaServer.LoadGenerator.Tests;

/// <summary>GStreamer's rtspsrc, a second client nobody here wrote, pulls and decodes a camera.</summary>
public class PulledCameraGstreamerTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Rtspsrc_pulls_a_camera_and_decodes_its_frames(string protocol)
    {
        var h264 = new SyntheticH264(2000, 30, gopSeconds: 0.5, maxPayload: 1188);
        var camera = new PulledCamera("cam0", "load/cam0", h264, 3);
        await using CameraRtspServer server = CameraRtspServer.Start([camera]);
        var pacer = new CameraPacer([camera], h264.FramesPerSecond);
        pacer.Start();
        try
        {
            (int exitCode, string output, string errors) = await ClientProcess.RunAsync("gst-launch-1.0", TimeSpan.FromSeconds(60),
                [.. $"-q rtspsrc location={server.Url(camera)} protocols={protocol} latency=0 ! rtph264depay ! avdec_h264 ! fakesink num-buffers=10 sync=false".Split(' ')]);
            Assert.True(exitCode == 0, output + errors);
        }
        finally
        {
            pacer.Stop();
        }

        Assert.Equal(1, camera.Plays);
    }
}
