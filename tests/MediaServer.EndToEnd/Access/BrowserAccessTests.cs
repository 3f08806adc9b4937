using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.EndToEnd.Access;

/// <summary>Headless Chromium on the player page when the server wants credentials.</summary>
[Trait("Category", "EndToEnd")]
public class BrowserAccessTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task WaitForFramesAsync(IPage page, int frames)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "n => window.player && window.player.framesDecoded >= n", frames,
                new PageWaitForFunctionOptions { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("no frames: " + await page.EvaluateAsync<string>("() => JSON.stringify(window.player)"));
        }
    }

    [Fact]
    public async Task The_player_page_plays_with_the_password_the_browser_was_given()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess cam = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());

        // The browser answers the page's 401 and then sends the same credentials with the WHEP POST.
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "alice", Password = "alice-pw" },
        });
        IPage page = await context.NewPageAsync();
        IResponse? response = await page.GotoAsync($"http://127.0.0.1:{host.HttpPort}/home1/cam/");
        Assert.Equal(200, response!.Status);
        await WaitForFramesAsync(page, 20);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task The_player_page_passes_a_token_from_its_link_and_a_token_for_another_path_plays_nothing()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess cam = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home2/cam"), "home2/cam", await Clips.H264Gop4sAsync());
        string token = TestJwt.Issue("display-9", ("read", "home2/cam"));

        await using IBrowserContext context = await chromium.Browser.NewContextAsync();
        IPage page = await context.NewPageAsync();
        IResponse? response = await page.GotoAsync($"http://127.0.0.1:{host.HttpPort}/home2/cam/?jwt={token}");
        Assert.Equal(200, response!.Status);
        await WaitForFramesAsync(page, 20);

        IPage stranger = await context.NewPageAsync();
        string other = TestJwt.Issue("display-10", ("read", "home1/cam"));
        IResponse? refused = await stranger.GotoAsync($"http://127.0.0.1:{host.HttpPort}/home2/cam/?jwt={other}");
        Assert.Equal(403, refused!.Status);
    }
}
