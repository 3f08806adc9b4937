using System.Text.RegularExpressions;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MediaServer.EndToEnd;

/// <summary>
/// What a person sees on the player page in real Chromium: the frame count, why it stopped, a
/// camera that left, a camera that sends B-frames.
/// </summary>
[Trait("Category", "EndToEnd")]
public partial class PlayerPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // What a person sees in the middle of the picture is an opaque "camera offline", not the video.
    private const string PictureHidden =
        "(() => { const o = document.getElementById('offline'); const v = document.getElementById('video').getBoundingClientRect();" +
        " return !o.hidden && getComputedStyle(o).backgroundColor === 'rgb(0, 0, 0)'" +
        " && document.elementFromPoint(v.left + v.width / 2, v.top + v.height / 2) === o; })()";

    [GeneratedRegex(@"(\d+) frames")]
    private static partial Regex FramesShown();

    [Fact]
    public async Task Player_page_shows_the_frames_it_decoded_and_asks_for_no_favicon()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");

        await viewer.WaitForFramesAsync(50, Deadline);

        string status = await viewer.StatusLineAsync();
        Match shown = FramesShown().Match(status);
        Assert.True(shown.Success && int.Parse(shown.Groups[1].Value) >= 50, $"the status line does not count the frames: '{status}'");
        Assert.True(await viewer.Page.EvaluateAsync<bool>("() => document.querySelector('link[rel~=icon]') !== null"), "the page names no icon, so the browser asks for /favicon.ico");
        Assert.DoesNotContain(viewer.Requests, url => url.Contains("favicon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Player_page_stops_and_says_why_on_a_refusal_that_asking_again_cannot_change()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        int posts = 0;
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1", page =>
            page.RouteAsync("**/cam1/whep", async route =>
            {
                if (route.Request.Method == "POST")
                {
                    Interlocked.Increment(ref posts);
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 403, Body = "not allowed\n" });
                }
                else
                {
                    await route.ContinueAsync();
                }
            }));

        await viewer.WaitForAsync("() => window.player.state === 'failed'", Deadline, "that it gave up");
        Assert.Contains("403 not allowed", await viewer.StatusLineAsync(), StringComparison.Ordinal);
        Assert.Contains("403 not allowed", await viewer.Page.TextContentAsync("#offline") ?? string.Empty, StringComparison.Ordinal);

        // The old page asked again after 1 s, 2 s, 4 s...: let three seconds of the camera pass.
        await camera.WaitUntilSentAsync(camera.FramesSent + 75, Deadline);
        Assert.Equal(1, Volatile.Read(ref posts));
        Assert.Equal("failed", await viewer.StateAsync());
    }

    [Fact]
    public async Task Player_page_retries_limits_and_plays_once_they_lift()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        int posts = 0;
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1", page =>
            page.RouteAsync("**/cam1/whep", async route =>
            {
                int post = route.Request.Method == "POST" ? Interlocked.Increment(ref posts) : 0;
                if (post is 1 or 2)
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = post == 1 ? 503 : 429, Body = "too many sessions\n" });
                }
                else
                {
                    await route.ContinueAsync();
                }
            }));

        await viewer.WaitForFramesAsync(10, Deadline);

        Assert.Equal(3, Volatile.Read(ref posts));
        Assert.Equal("playing", await viewer.StateAsync());
    }

    [Fact]
    public async Task Player_page_hides_the_last_frame_when_the_camera_leaves_and_plays_the_next_one()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        await viewer.WaitForAsync($"() => window.player.state === 'offline' && {PictureHidden}", Deadline, "camera offline before any camera");
        Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        await viewer.WaitForFramesAsync(10, Deadline);
        Assert.False(await viewer.Page.EvaluateAsync<bool>($"() => {PictureHidden}"), "the picture is hidden while playing");

        await camera.DisposeAsync();

        await viewer.WaitForAsync($"() => window.player.state === 'offline' && {PictureHidden}", Deadline, "camera offline after the camera left");
        Assert.Equal("camera offline", await viewer.Page.TextContentAsync("#offline"));

        await using Camera again = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("blue"));
        await viewer.WaitForAsync($"() => window.player.state === 'playing' && !({PictureHidden})", Deadline, "the next camera");
        int frames = await viewer.FramesDecodedAsync();
        await viewer.WaitForFramesAsync(frames + 10, Deadline);
        (double r, double g, double b) = await viewer.SampleColourAsync();
        Assert.True(b > 150 && r < 90 && g < 90, $"the page should show the new camera, got ({r:F0},{g:F0},{b:F0})");
    }

    [Fact]
    public async Task Player_page_shows_no_still_of_a_camera_that_another_one_replaced()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Paths:0:Name=cam1", "--Paths:0:OverridePublisher=true");
        await using Camera first = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "cam1");
        await viewer.WaitForFramesAsync(10, Deadline);
        MediaStream firstStream = host.Stream("cam1");
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        await viewer.Page.EvaluateAsync(
            $"() => {{ window.pictureHiddenSeen = false; setInterval(() => {{ if ({PictureHidden}) window.pictureHiddenSeen = true; }}, 20); }}");

        await using Camera second = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("blue"));
        Assert.True(
            await Eventually.TrueAsync(() => registry.TryGet(firstStream.Id, out MediaStream now) && now.Generation != firstStream.Generation, Deadline),
            "setup: the second camera did not take the path");

        await viewer.WaitForAsync("() => window.player.state === 'playing' && window.player.connects >= 2", Deadline, "the second camera");
        int frames = await viewer.FramesDecodedAsync();
        await viewer.WaitForFramesAsync(frames + 10, Deadline);
        (double r, double g, double b) = await viewer.SampleColourAsync();
        Assert.True(b > 150 && r < 90 && g < 90, $"the page should show the second camera, got ({r:F0},{g:F0},{b:F0})");
        Assert.True(await viewer.Page.EvaluateAsync<bool>("() => window.pictureHiddenSeen"), "the first camera's last frame stayed on screen until the second one played");
    }

    [Fact]
    public async Task Player_page_warns_about_b_frames_only_for_a_camera_that_sends_them()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera withB = await Camera.StartAsync(host, "bcam", await Clips.H264BFramesAsync());
        await using Camera withoutB = await Camera.StartAsync(host, "pcam", await Clips.H264Gop4sAsync());
        await using WebViewer warned = await WebViewer.OpenAsync(chromium.Browser, host, "bcam");
        await using WebViewer plain = await WebViewer.OpenAsync(chromium.Browser, host, "pcam");

        await warned.WaitForAsync(
            "() => window.player.bFrames === true && getComputedStyle(document.getElementById('bframes')).display !== 'none'",
            Deadline, "the B-frame notice");
        Assert.Contains("-bf 0", await warned.Page.TextContentAsync("#bframes") ?? string.Empty, StringComparison.Ordinal);

        await plain.WaitForFramesAsync(25, Deadline);
        await plain.WaitForAsync("() => window.player.generation > 0", Deadline, "a status read");
        Assert.False(await plain.Page.EvaluateAsync<bool>("() => window.player.bFrames"));
        Assert.Equal("none", await plain.Page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('bframes')).display"));
    }
}
