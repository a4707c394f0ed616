using System.Net;
using System.Text.Json;
using Carrot.Monitor;
using Carrot.Monitor.Hosting;
using Carrot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Tests.Monitor;

/// <summary>The JSON API against the CLI's --json, the path base, and the monitor mounted in an application of its own.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class MonitorApiTests : SandboxTest
{
    [Test]
    public async Task Api_AnswersInTheShapesOfTheCliJson()
    {
        var id = (await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--delay", "1h")).StdOut.Trim();
        await using var client = await Sandbox.CreateClientAsync();
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        var pairs = new (string Api, string[] Cli)[]
        {
            ($"/api/tasks/{id}", ["tasks", "show", id, "--logs", "--json"]),
            ("/api/workers", ["workers", "list", "--json"]),
            ("/api/schedules", ["schedules", "list", "--json"]),
        };
        foreach (var (api, cli) in pairs)
        {
            var fromApi = JsonDocument.Parse(await http.GetStringAsync(api)).RootElement;
            var fromCli = JsonDocument.Parse((await Sandbox.CarrotAsync(cli)).StdOut).RootElement;
            Assert.That(Shape(fromApi), Is.EqualTo(Shape(fromCli)), api);
            Assert.That(Canonical(fromApi), Is.EqualTo(Canonical(fromCli)), api);
        }

        var page = JsonDocument.Parse(await http.GetStringAsync("/api/tasks?state=scheduled")).RootElement;
        var listed = JsonDocument.Parse((await Sandbox.CarrotAsync("tasks", "list", "--json")).StdOut).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(Canonical(page.GetProperty("tasks")), Is.EqualTo(Canonical(listed)));
            Assert.That(page.GetProperty("counts").GetProperty("scheduled").GetInt64(), Is.EqualTo(1));
            Assert.That(page.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Search_SaysHowFarItSearched_InThePageTheApiAndTheCount()
    {
        var first = (await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["hay"]""", "--delay", "1h")).StdOut.Trim();
        var needle = (await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["needle"]""", "--delay", "1h")).StdOut.Trim();
        await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["hay"]""", "--delay", "1h");
        await using var client = await Sandbox.CreateClientAsync();
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        var page = JsonDocument.Parse(await http.GetStringAsync("/api/tasks?q=NEEDLE")).RootElement;
        var plain = JsonDocument.Parse(await http.GetStringAsync("/api/tasks?state=scheduled")).RootElement;
        var count = JsonDocument.Parse(await http.GetStringAsync("/api/tasks/count?q=needle")).RootElement;
        var html = await http.GetStringAsync("/tasks?q=needle");
        var confirm = await http.GetStringAsync("/bulk/confirm?action=cancel&scope=all&q=needle");

        Assert.Multiple(() =>
        {
            Assert.That(page.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(new[] { needle }));
            Assert.That(page.GetProperty("searchedDownTo").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(first), "the whole table fits in one window");
            Assert.That(page.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(plain.GetProperty("searchedDownTo").ValueKind, Is.EqualTo(JsonValueKind.Null), "a state is no windowed search");
            Assert.That(count.GetProperty("count").GetInt64(), Is.EqualTo(1));
            Assert.That(count.GetProperty("searchedDownTo").ValueKind, Is.EqualTo(JsonValueKind.Null), "a count over the whole table is exact");
            Assert.That(html, Does.Contain($"id=\"searched\">Searched from the newest task down to id {first}: 1 match(es) on this page. No older task is left to search."));
            Assert.That(confirm, Does.Contain("Cancel 1 task(s)"));
        });
    }

    [Test]
    public async Task BadInput_IsOneLineOfJson_WithStatus400()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        using var badState = await http.GetAsync("/api/tasks?state=done");
        using var unknown = await http.GetAsync("/api/tasks/424242");

        Assert.Multiple(async () =>
        {
            Assert.That(badState.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await badState.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"\u0027done\u0027 is not a task state: use scheduled, queued, running, succeeded, failed or cancelled."}"""));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("There is no task 424242"));
        });
    }

    [TestCase("http://elsewhere.example/", "/")]
    [TestCase("//elsewhere.example/", "/")]
    [TestCase("/workers", "/workers")]
    public async Task AFormPost_GoesBackOnlyToAPageOfTheMonitor(string back, string expected)
    {
        await using var client = await Sandbox.CreateClientAsync();
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0", Token = "t0ken" });
        await server.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workers/default/pause")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["return"] = back }),
        };
        request.Headers.Add("Authorization", "Bearer t0ken");
        request.Headers.Add("Accept", "text/html");

        using var response = await http.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task PathBase_PrefixesEveryLink()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0", PathBase = "/carrot" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        var html = await http.GetStringAsync("/carrot/workers");

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("href=\"/carrot/tasks\"").And.Contain("src=\"/carrot/assets/monitor.js\"").And.Contain("action=\"/carrot/api/workers\""));
            Assert.That(html, Does.Not.Contain("href=\"/tasks\""));
        });
    }

    [Test]
    public async Task MapCarrotMonitor_MountsItInTheApplication_WhoseRuleDecidesWhoMayAct()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Carrot:database"] = Sandbox.DatabasePath,
            ["Carrot:broker"] = Sandbox.BrokerUri,
        });
        builder.Services.AddCarrot(builder.Configuration.GetSection("Carrot"));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapCarrotMonitor("/ops/carrot", o => o.CanAct = http => http.Request.Headers.ContainsKey("X-Ops"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var tasksPage = await http.GetStringAsync("/ops/carrot/tasks");
        using var refused = await http.PostAsync("/ops/carrot/api/workers/default/pause", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ops/carrot/api/workers/default/pause");
        request.Headers.Add("X-Ops", "1");
        using var noToken = await http.SendAsync(request);

        Assert.Multiple(async () =>
        {
            Assert.That(tasksPage, Does.Contain("href=\"/ops/carrot/workers\""));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("may only look"));
            Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an application's user may act, still not across sites");
            Assert.That(await noToken.Content.ReadAsStringAsync(), Does.Contain("anti-forgery"));
        });
        await app.StopAsync();
    }

    // Names and values, whatever the indentation and the escaping (the API escapes for HTML, the CLI for terminals).
    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => p.Name + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.String => "\"" + element.GetString() + "\"",
        _ => element.GetRawText(),
    };

    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => p.Name + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() == 0 ? "" : Shape(element[0])) + "]",
        _ => element.ValueKind.ToString(),
    };
}
