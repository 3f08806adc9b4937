using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Sources;

/// <summary>The GStreamer camera that pulled-source tests use is a camera a real client can play.</summary>
public sealed class GstRtspCameraTests
{
    [Theory]
    [InlineData("tcp", null)]
    [InlineData("udp", "digest")]
    [InlineData("tcp", "basic")]
    public async Task Ffmpeg_plays_the_camera_and_decodes_its_colour(string transport, string? auth)
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(
            colour: "00ff00", user: auth is null ? null : "viewer", password: auth is null ? null : "s3cret", auth: auth ?? "digest");
        string url = auth is null ? camera.Url : camera.UrlWith("viewer", "s3cret");

        (double r, double g, double b) = await FirstFrameColourAsync(url, transport);

        Assert.True(g > 200 && r < 60 && b < 60, $"expected green, decoded ({r:F0}, {g:F0}, {b:F0})");
        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpened == 1 && camera.ConnectionsOpen == 0, TimeSpan.FromSeconds(10)),
            $"the camera counted {camera.ConnectionsOpened} connections opened, {camera.ConnectionsOpen} still open");
    }

    [Fact]
    public async Task A_camera_behind_digest_refuses_a_client_without_credentials()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(user: "viewer", password: "s3cret");
        await using FfmpegProcess player = FfmpegProcess.Start(
            "-rtsp_transport", "tcp", "-i", camera.Url, "-frames:v", "1", "-f", "null", "-");

        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(20)), player.Stderr);
        Assert.Contains("401", player.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_camera_restarted_on_its_port_serves_the_new_colour()
    {
        GstRtspCamera first = await GstRtspCamera.StartAsync(colour: "ff0000");
        int port = first.Port;
        (double r1, _, _) = await FirstFrameColourAsync(first.Url, "tcp");
        await first.StopAsync();

        await using GstRtspCamera second = await GstRtspCamera.StartAsync(colour: "0000ff", port: port);
        (double r2, _, double b2) = await FirstFrameColourAsync(second.Url, "tcp");

        Assert.Equal(port, second.Port);
        Assert.True(r1 > 200, $"the first camera decoded with red {r1:F0}");
        Assert.True(b2 > 200 && r2 < 60, $"the second camera decoded ({r2:F0}, _, {b2:F0})");
    }

    private static async Task<(double R, double G, double B)> FirstFrameColourAsync(string url, string transport)
    {
        await using FfmpegProcess player = FfmpegProcess.Start(
            "-rtsp_transport", transport, "-i", url,
            "-frames:v", "1", "-vf", "scale=8:8", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1");
        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(30)), "ffmpeg did not finish: " + player.Stderr);
        byte[] rgb = player.Stdout();
        Assert.True(rgb.Length == 8 * 8 * 3, $"expected one 8x8 frame, got {rgb.Length} bytes: {player.Stderr}");
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            r += rgb[i];
            g += rgb[i + 1];
            b += rgb[i + 2];
        }

        return (r / 64, g / 64, b / 64);
    }
}
