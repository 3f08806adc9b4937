using Microsoft.Playwright;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Playwright, shared by the tests of one class. Never a
/// downloaded browser: the test command installs the <c>chromium</c> package.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    /// <summary>A second, independent browser process (e.g. to kill it without a goodbye).</summary>
    public Task<IBrowser> LaunchAnotherAsync(params string[] extraArgs) => LaunchAsync(_playwright!, extraArgs);

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            .. extraArgs,
        ],
    });
}
