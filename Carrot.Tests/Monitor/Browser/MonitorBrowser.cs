using Microsoft.Playwright;

namespace Carrot.Tests.Monitor.Browser;

/// <summary>
/// Debian's headless chromium (installed by scripts/ensure-chromium.sh), driven by Playwright for .NET, whose Node driver
/// ships inside the NuGet package: no browser is downloaded. The flags keep Chromium from calling out to the network.
/// </summary>
internal sealed class MonitorBrowser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private MonitorBrowser(IPlaywright playwright, IBrowser browser, string profile)
    {
        _playwright = playwright;
        Browser = browser;
        _profile = profile;
    }

    public IBrowser Browser { get; }

    public static async Task<MonitorBrowser> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail($"{Executable} is missing: run scripts/ensure-chromium.sh (scripts/test.sh does) to install Debian's chromium.");
        }

        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("carrot-chromium-").FullName;
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return new MonitorBrowser(playwright, browser, profile);
    }

    /// <summary>A fresh browser context (own cookies), 1280 wide, with HTTP Basic credentials when given.</summary>
    public Task<IBrowserContext> NewContextAsync(string? user = null, string? password = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            HttpCredentials = user is null ? null : new HttpCredentials { Username = user, Password = password! },
            TimezoneId = "UTC",
        });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
