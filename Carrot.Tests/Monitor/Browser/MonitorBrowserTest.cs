using System.Text.Json;
using Carrot.Tests.Support;
using Microsoft.Playwright;

namespace Carrot.Tests.Monitor.Browser;

/// <summary>
/// A sandbox (own database, vhost and config) whose carrotd serves the monitor on a free loopback port, and a browser
/// to look at it. Screenshots of the main pages go to docs/monitor/, where the README shows them.
/// </summary>
[Category("Browser")]
public abstract class MonitorBrowserTest(StoreKind kind = StoreKind.Sqlite) : SandboxTest
{
    private MonitorBrowser? _browser;
    private string? _postgresDatabase;

    protected StoreKind Kind { get; } = kind;

    internal MonitorBrowser Browser => _browser ?? throw new InvalidOperationException("The browser runs only during the fixture.");

    protected string BaseUrl { get; private set; } = "";

    protected static string ScreenshotFolder => Path.Combine(RepositoryPaths.Root, "docs", "monitor");

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync() => _browser = await MonitorBrowser.LaunchAsync();

    [TearDown]
    public async Task DropPostgresDatabaseAsync()
    {
        if (_postgresDatabase is { } database)
        {
            _postgresDatabase = null;
            await SharedPostgres.DropDatabaseAsync(database);
        }
    }

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    /// <summary>Writes the monitor section (on a free loopback port unless <paramref name="listen"/> says otherwise), starts carrotd, waits for the monitor.</summary>
    internal async Task<DaemonProcess> StartDaemonWithMonitorAsync(Dictionary<string, object>? monitor = null, Dictionary<string, object>? extra = null)
    {
        monitor ??= [];
        monitor.TryAdd("listen", $"127.0.0.1:{LoopbackPorts.Free(1)[0]}");

        var settings = new Dictionary<string, object>(extra ?? []) { ["monitor"] = monitor };
        if (Kind == StoreKind.Postgres)
        {
            settings["database"] = _postgresDatabase = await SharedPostgres.CreateDatabaseAsync(migrated: false);
        }

        Sandbox.WriteConfig(Sandbox.BrokerUri, settings);
        BaseUrl = $"http://{monitor["listen"]}{(monitor.TryGetValue("pathBase", out var pathBase) ? pathBase : "")}";
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Monitor on http", TimeSpan.FromSeconds(30));
        return daemon;
    }

    /// <summary>Runs carrot and returns its output; fails the test on a non-zero exit.</summary>
    protected async Task<string> CarrotAsync(params string[] args)
    {
        var result = await Sandbox.CarrotAsync(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);
        return result.StdOut.Trim();
    }

    /// <summary>Enqueues and waits for the task to finish; returns its id.</summary>
    protected async Task<long> EnqueueAndWaitAsync(string kallable, string args, params string[] more)
    {
        var result = await Sandbox.CarrotAsync(["enqueue", kallable, "--args", args, "--wait", "--wait-timeout", "60s", "--json", .. more]);
        return JsonDocument.Parse(result.StdOut).RootElement.GetProperty("taskId").GetInt64();
    }

    /// <summary>The README's pictures, from the SQLite run (the pages look the same on PostgreSQL).</summary>
    protected Task ScreenshotAsync(IPage page, string name)
    {
        if (Kind != StoreKind.Sqlite)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(ScreenshotFolder);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = false });
    }

    protected static async Task<IPage> OpenAsync(IBrowserContext context, string url)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var response = await page.GotoAsync(url);
        Assert.That(response?.Status, Is.EqualTo(200), $"GET {url}");
        return page;
    }
}
