using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>One browser tab on the server's player page, and what it has decoded.</summary>
internal sealed class WebViewer : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private WebViewer(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Every URL the tab asked for, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <param name="prepare">Runs before the page loads (e.g. to route its requests).</param>
    public static async Task<WebViewer> OpenAsync(IBrowser browser, MediaServerHost host, string path, Func<IPage, Task>? prepare = null)
    {
        IBrowserContext context = await browser.NewContextAsync();
        IPage page = await context.NewPageAsync();
        var viewer = new WebViewer(context, page);
        context.Request += (_, request) => viewer.Requests.Enqueue(request.Url);
        if (prepare is not null)
        {
            await prepare(page);
        }

        await page.GotoAsync($"http://127.0.0.1:{host.HttpPort}/{path}/");
        return viewer;
    }

    /// <summary>Waits until <paramref name="predicate"/> (a JS function) holds on the page; fails with the player's state.</summary>
    public async Task WaitForAsync(string predicate, TimeSpan deadline, string what)
    {
        try
        {
            await Page.WaitForFunctionAsync(predicate, null,
                new PageWaitForFunctionOptions { Timeout = (float)deadline.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            string state = await Page.EvaluateAsync<string>("() => JSON.stringify(window.player, (k, v) => k === 'peer' ? undefined : v)");
            string status = await Page.TextContentAsync("#status") ?? string.Empty;
            throw new InvalidOperationException($"The page never showed {what}: {state}; status line: {status}");
        }
    }

    /// <summary>The player's status line as a person reads it.</summary>
    public async Task<string> StatusLineAsync() => await Page.TextContentAsync("#status") ?? string.Empty;

    /// <summary>Frames the page counted through requestVideoFrameCallback.</summary>
    public async Task<int> FramesDecodedAsync() => await Page.EvaluateAsync<int>("() => window.player.framesDecoded");

    /// <summary>Waits (up to the deadline) until the page has decoded at least <paramref name="frames"/> frames.</summary>
    public async Task WaitForFramesAsync(int frames, TimeSpan deadline)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "n => window.player && window.player.framesDecoded >= n",
                frames,
                new PageWaitForFunctionOptions { Timeout = (float)deadline.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            string state = await Page.EvaluateAsync<string>("() => JSON.stringify(window.player)");
            throw new InvalidOperationException($"The page decoded fewer than {frames} frames: {state}");
        }
    }

    /// <summary>A JS function of the video element: the average colour of its picture, drawn into a small canvas.</summary>
    private const string AverageColour =
        """
        video => {
          const canvas = document.createElement("canvas");
          canvas.width = 16; canvas.height = 16;
          const ctx = canvas.getContext("2d", { willReadFrequently: true });
          ctx.drawImage(video, 0, 0, 16, 16);
          const data = ctx.getImageData(0, 0, 16, 16).data;
          let r = 0, g = 0, b = 0;
          for (let i = 0; i < data.length; i += 4) { r += data[i]; g += data[i + 1]; b += data[i + 2]; }
          const n = data.length / 4;
          return [r / n, g / n, b / n];
        }
        """;

    /// <summary>The average colour of the picture on screen.</summary>
    public async Task<(double R, double G, double B)> SampleColourAsync() =>
        Rgb(await Page.EvaluateAsync<JsonElement>($"() => ({AverageColour})(document.getElementById(\"video\"))"));

    /// <summary>
    /// Pass as <c>prepare</c> to <see cref="OpenAsync"/>: the page records the average colour of
    /// the first frame it presents, drawn in that frame's own requestVideoFrameCallback, so a slow
    /// test thread cannot sample a later picture instead.
    /// </summary>
    public static Task RecordFirstFrameColourAsync(IPage page) => page.AddInitScriptAsync(
        $$"""
        document.addEventListener("DOMContentLoaded", () => {
          const video = document.getElementById("video");
          video.requestVideoFrameCallback(() => { window.firstFrameColour = ({{AverageColour}})(video); });
        });
        """);

    /// <summary>The colour <see cref="RecordFirstFrameColourAsync"/> recorded, once the first frame was presented.</summary>
    public async Task<(double R, double G, double B)> FirstFrameColourAsync(TimeSpan deadline)
    {
        await WaitForAsync("() => window.firstFrameColour !== undefined", deadline, "a first frame");
        return Rgb(await Page.EvaluateAsync<JsonElement>("() => window.firstFrameColour"));
    }

    private static (double R, double G, double B) Rgb(JsonElement rgb) => (rgb[0].GetDouble(), rgb[1].GetDouble(), rgb[2].GetDouble());

    public async Task<string> StateAsync() => await Page.EvaluateAsync<string>("() => window.player.state");

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
    }
}
