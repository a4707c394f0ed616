using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Carrot.Tasks;
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

        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["taskAssemblies"] = new[] { Path.Combine(sample, "WebShop.Tasks", "bin", "Release", "net10.0") } });
        await Sandbox.StartDaemonAsync();
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
        var taskId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taskId").GetInt64();
        await using var client = await Sandbox.CreateClientAsync();
        var done = await client.WaitForCompletionAsync(taskId, TimeSpan.FromMinutes(1));
        var shown = await http.GetFromJsonAsync<JsonElement>(new Uri($"/tasks/{taskId}", UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(done.Kallable, Is.EqualTo("WebShop.Tasks.Emails.SendWelcome"));
            Assert.That(done.Args, Is.EqualTo("""["ada@example.com","WELCOME10"]"""));
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), done.ErrorMessage);
            Assert.That(shown.GetProperty("state").GetString(), Is.EqualTo("succeeded"));
            Assert.That(shown.GetProperty("result").GetString(), Is.EqualTo("\"Welcome mail sent to ada@example.com with coupon WELCOME10\""));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), await health.Content.ReadAsStringAsync());
            Assert.That(Directory.Exists(Path.Combine(Sandbox.Folder, "packages", "carrot.extensions.dependencyinjection", feed.Version)), Is.True, "restored from this run's feed");
        });
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
