using System.Diagnostics;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.WebRtc;

namespace MediaServer.EndToEnd;

/// <summary>
/// Real Chromium on the server's player page, over WHEP, ICE-lite, DTLS and SRTP, watching cameras
/// that ffmpeg publishes over RTSP.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WebRtcPlaybackTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Player_page_plays_an_rtsp_camera()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");

        await viewer.WaitForFramesAsync(50, Deadline);

        Assert.Equal("playing", await viewer.StateAsync());
        Assert.Equal(320, await viewer.Page.EvaluateAsync<int>("() => window.player.width"));
        Assert.Equal(240, await viewer.Page.EvaluateAsync<int>("() => window.player.height"));
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(WebRtcSessionState.Connected, session.State);
        Assert.True(session.PacketsSent > 50);
        Assert.True(await Eventually.TrueAsync(() => session.ReceiverReports.Reports > 0, Deadline), "Chromium's receiver reports were not read");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Opus_audio_reaches_the_browser_alongside_video()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264OpusAsync());
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        await viewer.WaitForFramesAsync(10, Deadline);

        await viewer.Page.WaitForFunctionAsync(
            """
            async () => {
              const stats = await window.player.peer.getStats();
              let audio = 0;
              stats.forEach(r => { if (r.type === "inbound-rtp" && r.kind === "audio") audio = r.packetsReceived; });
              return audio > 20;
            }
            """,
            null,
            new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 200 });

        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(["H264", "opus"], session.Answer.Tracks.Select(t => t.Format.EncodingName));
    }

    [Fact]
    public async Task Player_page_reconnects_when_the_camera_comes_back()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        await viewer.WaitForFramesAsync(10, Deadline);
        await camera.DisposeAsync();
        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline), "the session outlived its stream");

        await using Camera again = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("blue"));
        await viewer.Page.WaitForFunctionAsync("() => window.player.connects >= 2", null, new() { Timeout = (float)Deadline.TotalMilliseconds });
        int frames = await viewer.FramesDecodedAsync();
        await viewer.WaitForFramesAsync(frames + 10, Deadline);

        (double r, double g, double b) = await viewer.SampleColourAsync();
        Assert.True(b > 150 && r < 90 && g < 90, $"after reconnecting the page should show the new camera, got ({r:F0},{g:F0},{b:F0})");
    }

    [Fact]
    public async Task Viewer_joining_mid_gop_starts_from_the_cached_keyframe_not_the_next_one()
    {
        // Three 4 s GOPs: red, green, blue. Joining 1.2 s into the red GOP, a server without the
        // cache could show nothing until the green keyframe; ours shows red at once.
        await using MediaServerHost host = await TestHost.StartAsync();
        for (int attempt = 1; ; attempt++)
        {
            // ffmpeg (-re) cannot send the green keyframe (frame 100, 4 s in) before 4 s after its
            // start, so a session that connected sooner than that starts in the red GOP (media
            // waits for DTLS, then replays the GOP cached then). Under load the connection can
            // come later; then the camera starts again rather than the test assuming where the
            // join fell.
            Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline), "the last attempt's session outlived its camera");
            var sinceCameraStart = Stopwatch.StartNew();
            await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.ColouredGopsAsync());
            await camera.WaitUntilSentAsync(30, Deadline);
            await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1", WebViewer.RecordFirstFrameColourAsync);
            Assert.True(await Eventually.TrueAsync(
                () => host.WebRtcSessions().All.Any(s => s.State == WebRtcSessionState.Connected), Deadline), "the page never connected");
            TimeSpan connectedAt = sinceCameraStart.Elapsed;
            if (connectedAt > TimeSpan.FromSeconds(3.5))
            {
                Assert.True(attempt < 5, $"setup: five connections came too late in the red GOP, the last {connectedAt.TotalSeconds:F1} s after the camera started");
                continue;
            }

            (double r, double g, double b) = await viewer.FirstFrameColourAsync(Deadline);
            WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
            Assert.True(r > 150 && g < 90 && b < 90,
                $"the first picture should be the red GOP, got ({r:F0},{g:F0},{b:F0}); connected {connectedAt.TotalSeconds:F1} s after the camera started; keyframe requests replayed {session.KeyframeRequests}, deferred {session.KeyframeRequestsDeferred}");
            return;
        }
    }

    [Fact]
    public async Task Two_pages_on_two_cameras_each_see_only_their_own_colour()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera red = await Camera.StartAsync(host, "home1/cam", await Clips.SolidAsync("red"));
        await using Camera blue = await Camera.StartAsync(host, "home2/cam", await Clips.SolidAsync("blue"), "udp");
        await using WebViewer redViewer = await WebViewer.OpenAsync(chromium.Browser, host, "home1/cam");
        await using WebViewer blueViewer = await WebViewer.OpenAsync(chromium.Browser, host, "home2/cam");
        await redViewer.WaitForFramesAsync(10, Deadline);
        await blueViewer.WaitForFramesAsync(10, Deadline);

        for (int sample = 0; sample < 5; sample++)
        {
            (double r, double g, double b) = await redViewer.SampleColourAsync();
            Assert.True(r > 150 && g < 90 && b < 90, $"home1 should be red, got ({r:F0},{g:F0},{b:F0})");
            (r, g, b) = await blueViewer.SampleColourAsync();
            Assert.True(b > 150 && r < 90 && g < 90, $"home2 should be blue, got ({r:F0},{g:F0},{b:F0})");
            int frames = await blueViewer.FramesDecodedAsync();
            await blueViewer.WaitForFramesAsync(frames + 5, Deadline);
        }

        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Ten_browser_viewers_of_one_camera_all_play()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        var viewers = new List<WebViewer>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                viewers.Add(await WebViewer.OpenAsync(chromium.Browser, host, "cam1"));
            }

            await Task.WhenAll(viewers.Select(v => v.WaitForFramesAsync(25, Deadline)));
            Assert.Equal(10, host.WebRtcSessions().All.Count(s => s.State == WebRtcSessionState.Connected));
        }
        finally
        {
            foreach (WebViewer viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }

        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Closing_the_tab_frees_the_session_and_its_reader()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        await viewer.WaitForFramesAsync(5, Deadline);
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);

        await viewer.DisposeAsync();

        await session.Completion.WaitAsync(Deadline);
        Assert.Empty(host.WebRtcSessions().All);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").ReaderCount == 0, TimeSpan.FromSeconds(10)), "the reader was not released");
    }

    [Fact]
    public async Task A_browser_that_vanishes_is_closed_by_consent_freshness()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:ConsentTimeoutSeconds=2");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        string marker = Guid.NewGuid().ToString("N");
        var browser = await chromium.LaunchAnotherAsync($"--mediaserver-test={marker}");
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{host.HttpPort}/cam1/");
        await page.WaitForFunctionAsync("() => window.player.framesDecoded >= 5", null, new() { Timeout = 30000 });
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);

        // SIGKILL: no DELETE, no DTLS close_notify, just silence.
        KillProcessesWith(marker);

        await session.Completion.WaitAsync(Deadline);
        Assert.StartsWith("consent expired", session.CloseReason, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").ReaderCount == 0, TimeSpan.FromSeconds(10)), "the reader was not released");
    }

    private static void KillProcessesWith(string marker)
    {
        int killed = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    Process.GetProcessById(pid).Kill();
                    killed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }

        Assert.True(killed > 0, "setup: no browser process carried the marker");
    }
}
