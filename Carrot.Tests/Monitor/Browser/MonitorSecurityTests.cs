using Carrot.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Carrot.Tests.Monitor.Browser;

/// <summary>Safe by default: loopback without credentials only, a read-only role, no cross-site actions, a strict CSP.</summary>
[TestFixture]
public sealed class MonitorSecurityTests : MonitorBrowserTest
{
    private const string Admin = "ops";
    private const string AdminPassword = "admin-secret-1";
    private const string Viewer = "viewer";
    private const string ViewerPassword = "viewer-secret-2";

    [Test]
    public async Task NonLoopbackListener_WithoutCredentials_RefusesToStart_InTheDaemonAndTheCli()
    {
        var port = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["monitor"] = new Dictionary<string, object> { ["listen"] = $"0.0.0.0:{port}" } });

        var daemon = await ProcessRunner.RunAsync(RepositoryPaths.Carrotd, [], Sandbox.Environment(), TimeSpan.FromSeconds(60));
        var cli = await Sandbox.CarrotAsync("monitor", "--listen", $"0.0.0.0:{port}");

        Assert.Multiple(() =>
        {
            Assert.That(daemon.ExitCode, Is.EqualTo(2), daemon.Output);
            Assert.That(daemon.Output, Does.Contain($"0.0.0.0:{port} is not a loopback address"));
            Assert.That(cli.ExitCode, Is.EqualTo(2), cli.Output);
            Assert.That(cli.StdErr, Does.Contain("is not a loopback address").And.Contain("CARROT_MONITOR_TOKEN"));
            Assert.That(File.Exists(Sandbox.DatabasePath), Is.False, "nothing was written");
        });
    }

    [Test]
    public async Task ReadOnlyUser_SeesThePages_ButCannotAct()
    {
        var daemon = await StartDaemonWithMonitorAsync(Credentials());
        await using var viewer = await Browser.NewContextAsync(Viewer, ViewerPassword);
        var page = await OpenAsync(viewer, BaseUrl + "/workers");

        await Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-worker='default'] button", new() { HasText = "Pause" })).ToBeDisabledAsync();
        var csrf = await page.Locator("meta[name=carrot-csrf]").GetAttributeAsync("content");
        var refused = await viewer.APIRequest.PostAsync(BaseUrl + "/api/workers/default/pause", new() { Headers = new Dictionary<string, string> { ["X-Carrot-Csrf"] = csrf! } });
        var refusedBody = await refused.TextAsync();

        await using var admin = await Browser.NewContextAsync(Admin, AdminPassword);
        var adminPage = await OpenAsync(admin, BaseUrl + "/workers");
        await Expect(adminPage.Locator("#read-only")).ToHaveCountAsync(0);
        await using var client = await Sandbox.CreateClientAsync();
        var pausedAfterViewer = (await client.ListWorkersAsync()).Single(w => w.Name == "default").Paused;
        await adminPage.Locator("tr[data-worker='default'] button", new() { HasText = "Pause" }).ClickAsync();
        await Expect(adminPage.Locator("tr[data-worker='default'] .worker-state")).ToHaveTextAsync("paused");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(403));
            Assert.That(refusedBody, Does.Contain("may only look"));
            Assert.That(pausedAfterViewer, Is.False);
            Assert.That(daemon.Output, Does.Not.Contain(AdminPassword).And.Not.Contain(ViewerPassword), "no password is logged");
        });
    }

    [Test]
    public async Task WithCredentials_AnAnonymousRequestIsRefused_AndABearerTokenWorksForScripts()
    {
        await StartDaemonWithMonitorAsync(Credentials());
        await using var anonymous = await Browser.NewContextAsync();

        // A browser asked for credentials shows its own prompt (headless Chromium: ERR_INVALID_AUTH_CREDENTIALS); the answer itself is read here.
        var response = await anonymous.APIRequest.GetAsync(BaseUrl + "/");
        var withToken = await anonymous.APIRequest.GetAsync(BaseUrl + "/api/tasks", new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer script-token-3" } });
        var actWithToken = await anonymous.APIRequest.PostAsync(BaseUrl + "/api/workers/default/pause", new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer script-token-3" } });

        Assert.Multiple(async () =>
        {
            Assert.That(response.Status, Is.EqualTo(401));
            Assert.That(response.Headers["www-authenticate"], Does.StartWith("Basic"));
            Assert.That(withToken.Status, Is.EqualTo(200));
            Assert.That(await withToken.TextAsync(), Does.StartWith("{\"tasks\":[]"));
            Assert.That(actWithToken.Status, Is.EqualTo(200), await actWithToken.TextAsync());
        });
    }

    [Test]
    public async Task CrossSiteAction_WithoutTheToken_IsRefused_AndPagesCarryAStrictCsp()
    {
        await StartDaemonWithMonitorAsync();
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + "/workers");
        var headers = await (await page.ReloadAsync())!.AllHeadersAsync();

        // The browser holds the monitor's cookie; a request without the token in the form or header is what another site could send.
        var forged = await context.APIRequest.PostAsync(BaseUrl + "/api/workers/default/pause", new() { Form = context.APIRequest.CreateFormData().Set("return", "/") });
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        await page.ReloadAsync();

        await using var client = await Sandbox.CreateClientAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(forged.Status, Is.EqualTo(403));
            Assert.That(await forged.TextAsync(), Does.Contain("anti-forgery token"));
            Assert.That((await client.ListWorkersAsync()).Single(w => w.Name == "default").Paused, Is.False);
            Assert.That(headers["content-security-policy"], Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Not.Contain("unsafe"));
            Assert.That(console.Where(m => m.Contains("Content Security Policy", StringComparison.Ordinal)), Is.Empty, "the pages themselves obey the policy");
        });
    }

    private static Dictionary<string, object> Credentials() => new()
    {
        ["user"] = Admin,
        ["password"] = AdminPassword,
        ["readOnlyUser"] = Viewer,
        ["readOnlyPassword"] = ViewerPassword,
        ["token"] = "script-token-3",
    };
}
