using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Sources;

/// <summary>A camera the server pulls, watched in Chromium over WHEP: the viewer starts it on demand.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PulledSourceWebRtcTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Browser_viewer_starts_an_on_demand_camera_over_whep_and_sees_its_colour()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(colour: "0000ff", user: "viewer", password: "s3cret");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=nursery", $"--Paths:0:Source={camera.UrlWith("viewer", "s3cret")}", "--Paths:0:SourceOnDemand=true");
        Assert.Equal(0, camera.ConnectionsOpened);

        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "nursery", WebViewer.RecordFirstFrameColourAsync);
        (double r, double g, double b) = await viewer.FirstFrameColourAsync(Deadline);

        Assert.True(b > 180 && r < 70 && g < 70, $"expected the camera's blue, the first frame was ({r:F0}, {g:F0}, {b:F0})");
        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpened == 1, Deadline), $"the camera counted {camera.ConnectionsOpened} connections");
        Assert.Equal(0, host.IsolationViolations);
    }
}
