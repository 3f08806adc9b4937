using MediaServer.EndToEnd.Infrastructure;
using MediaServer.WebRtc;
using Microsoft.Playwright;

namespace MediaServer.EndToEnd.Whip;

/// <summary>
/// Headless Chromium publishes its fake camera over WHIP; ffmpeg decodes the path over RTSP and
/// another Chromium tab plays it over WHEP, as any published path.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BrowserWhipTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private IBrowser _camera = null!;

    public async Task InitializeAsync() =>
        _camera = await chromium.LaunchAnotherAsync("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");

    public async Task DisposeAsync() => await _camera.CloseAsync();

    [Theory]
    [InlineData("H264", "h264")]
    [InlineData("VP8", "vp8")]
    public async Task A_browser_publishes_over_whip_and_is_read_over_rtsp_and_whep(string codec, string ffmpegDecoder)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using BrowserPublisher publisher = await BrowserPublisher.StartAsync(_camera, host, "cam1", codec);
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.True(session.IsPublisher);
        Assert.True(await Eventually.TrueAsync(() => session.PacketsReceived > 50, Deadline), $"no media came from the browser ({session.State})");
        Assert.Equal(new[] { "OPUS", codec }.Order(StringComparer.Ordinal), host.Stream("cam1").Tracks.Select(t => t.Format.EncodingName.ToUpperInvariant()).Order(StringComparer.Ordinal));

        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "tcp",
            "-map", "0:v", "-frames:v", "30", "-f", "framecrc", "pipe:1");
        Assert.True(player.ExitCode == 0, player.Stderr);
        Assert.Equal(30, Player.FramesPerStream(player.Stdout()).GetValueOrDefault(0));
        Assert.Contains(ffmpegDecoder, player.Stderr, StringComparison.OrdinalIgnoreCase);

        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        await viewer.WaitForFramesAsync(30, Deadline);
        Assert.Equal(320, await viewer.Page.EvaluateAsync<int>("() => window.player.width"));

        Assert.True(session.Ingest!.PlisSent >= 1, "the browser was never asked for a keyframe");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task A_browser_that_does_not_bundle_publishes_each_track_on_its_own_transport()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using BrowserPublisher publisher = await BrowserPublisher.StartAsync(_camera, host, "cam1", "VP8", bundlePolicy: "max-compat");
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);

        Assert.Equal(2, session.TransportCount);
        Core.Streams.MediaStream stream = host.Stream("cam1");
        Assert.True(await Eventually.TrueAsync(() => stream.Tracks.All(t => t.Reception.Received > 20), Deadline),
            $"not every track received media: {string.Join(", ", stream.Tracks.Select(t => $"{t.Format.EncodingName}={t.Reception.Received}"))}");
        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "tcp",
            "-map", "0:v", "-frames:v", "20", "-f", "framecrc", "pipe:1");
        Assert.Equal(20, Player.FramesPerStream(player.Stdout()).GetValueOrDefault(0));
    }

    [Fact]
    public async Task Closing_the_publishing_browser_ends_the_session_and_unpublishes_the_path()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:ConsentTimeoutSeconds=3");
        BrowserPublisher publisher = await BrowserPublisher.StartAsync(_camera, host, "cam1", "VP8");
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.True(await Eventually.TrueAsync(() => session.PacketsReceived > 10, Deadline), "no media came from the browser");

        await publisher.DisposeAsync();

        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline), "the session outlived its browser");
        Assert.True(await Eventually.TrueAsync(() => host.Services.GetService(typeof(Core.Streams.StreamRegistry)) is Core.Streams.StreamRegistry { Count: 0 }, Deadline),
            "the path is still published");
    }
}
