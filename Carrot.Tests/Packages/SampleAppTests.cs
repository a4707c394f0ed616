using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Carrot.Tasks;
using Carrot.Tests.Observability;
using Carrot.Tests.Support;

namespace Carrot.Tests.Packages;

/// <summary>
/// samples/WebShop as a user runs it: the ASP.NET Core app and its task library restored from this run's package
/// feed, the app serving HTTP on loopback, carrotd running the task library, a real RabbitMQ node and SQLite file.
/// </summary>
[TestFixture]
[Category("Packages")]
public sealed partial class SampleAppTests : SandboxTest
{
    [Test]
    public async Task SubscribeEndpoint_EnqueuesTheWelcomeMail_ThatCarrotdSends()
    {
        var feed = await PackageFeed.GetAsync();
        var sample = Path.Combine(Sandbox.Folder, "WebShop");
        PackageTests.CopyFolder(Path.Combine(RepositoryPaths.Root, "samples", "WebShop"), sample);
        feed.WriteNuGetConfig(sample);
        var build = await PackageFeed.DotnetAsync(["build", Path.Combine(sample, "WebShop.Api", "WebShop.Api.csproj"), "-c", "Release", "-nologo", "-clp:ErrorsOnly", .. feed.RestoreProperties(Path.Combine(Sandbox.Folder, "packages"))], TimeSpan.FromMinutes(6));
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);

        await using var collector = new OtlpReceiver();
        var metricsPort = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["taskAssemblies"] = new[] { Path.Combine(sample, "WebShop.Tasks", "bin", "Release", "net10.0") },
            ["otlp"] = new Dictionary<string, string> { ["endpoint"] = collector.Endpoint, ["protocol"] = "http/protobuf" },
            ["metrics"] = new Dictionary<string, string> { ["listen"] = $"127.0.0.1:{metricsPort}" },
        });
        var daemon = await Sandbox.StartDaemonAsync();
        await using var app = DaemonProcess.Start("dotnet", new Dictionary<string, string?>
        {
            // The app's appsettings.json names a local database and broker; the CARROT_* variables override them.
            ["CARROT_DATABASE"] = Sandbox.DatabasePath,
            ["CARROT_BROKER"] = Sandbox.BrokerUri,
            ["CARROT_CONFIG"] = null,
            ["CARROT_TASK_ASSEMBLIES"] = null,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }, Path.Combine(sample, "WebShop.Api", "bin", "Release", "net10.0", "WebShop.Api.dll"));
        await app.WaitForLogAsync("Now listening on: ", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(ListeningOn().Match(app.Output).Groups[1].Value), Timeout = TimeSpan.FromSeconds(30) };

        using var response = await http.PostAsync(new Uri("/subscribe?email=ada@example.com&coupon=WELCOME10", UriKind.Relative), null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var taskId = accepted.GetProperty("taskId").GetInt64();
        var traceId = accepted.GetProperty("traceId").GetString()!;
        await using var client = await Sandbox.CreateClientAsync();
        var done = await client.WaitForCompletionAsync(taskId, TimeSpan.FromMinutes(1));
        var shown = await http.GetFromJsonAsync<JsonElement>(new Uri($"/tasks/{taskId}", UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        static bool Counted(string line) => line.StartsWith("carrot_task_finished_total", StringComparison.Ordinal) && line.Contains("WebShop.Tasks.Emails.SendWelcome", StringComparison.Ordinal) && line.Contains("outcome=\"succeeded\"", StringComparison.Ordinal);
        var metrics = await MetricsScrape.UntilAsync($"http://127.0.0.1:{metricsPort}/metrics", Counted, TimeSpan.FromSeconds(30));
        // Stopping flushes the daemon's spans to the collector.
        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), daemon.Output);
        var exported = collector.BodiesOf("/v1/traces");

        Assert.Multiple(async () =>
        {
            Assert.That(done.Kallable, Is.EqualTo("WebShop.Tasks.Emails.SendWelcome"));
            Assert.That(done.Args, Is.EqualTo("""["ada@example.com","WELCOME10"]"""));
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), done.ErrorMessage);
            Assert.That(shown.GetProperty("state").GetString(), Is.EqualTo("succeeded"));
            Assert.That(shown.GetProperty("result").GetString(), Is.EqualTo("\"Welcome mail sent to ada@example.com with coupon WELCOME10\""));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), await health.Content.ReadAsStringAsync());

            // One trace from the HTTP request to the task's execution: the app's request and enqueue spans (console
            // exporter), the trace stored with the task, and carrotd's process span exported over OTLP.
            Assert.That(traceId, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(shown.GetProperty("traceParent").GetString(), Does.StartWith($"00-{traceId}-"));
            Assert.That(app.Output, Does.Contain(traceId).And.Contain("send default").And.Contain("POST /subscribe"), "the app's console exporter printed its spans");
            Assert.That(exported.Any(b => b.AsSpan().IndexOf(Convert.FromHexString(traceId)) >= 0 && b.AsSpan().IndexOf("process default"u8) >= 0), Is.True, "carrotd exported the task's process span in the request's trace");
            Assert.That(metrics.Split('\n').Any(Counted), Is.True, metrics);
            Assert.That(Directory.Exists(Path.Combine(Sandbox.Folder, "packages", "carrot.extensions.dependencyinjection", feed.Version)), Is.True, "restored from this run's feed");
        });
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
