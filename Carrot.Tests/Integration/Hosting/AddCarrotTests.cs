using Carrot.Client;
using Carrot.DependencyInjection;
using Carrot.Errors;
using Carrot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Carrot.Tests.Integration.Hosting;

/// <summary><c>services.AddCarrot(section)</c> and the health checks in a real generic host, against a real RabbitMQ node, SQLite file and carrotd.</summary>
[TestFixture]
[Category("Integration")]
public sealed class AddCarrotTests : SandboxTest
{
    [Test]
    public async Task TheHostStartsOneClient_ThatEveryResolutionShares()
    {
        using var host = BuildHost(Sandbox.BrokerUri);
        await host.StartAsync();

        var first = host.Services.GetRequiredService<CarrotClient>();
        var queued = await first.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);

        Assert.Multiple(async () =>
        {
            Assert.That(host.Services.GetRequiredService<CarrotClient>(), Is.SameAs(first));
            Assert.That(await host.Services.GetRequiredService<CarrotClientProvider>().GetClientAsync(), Is.SameAs(first));
            Assert.That(queued.Published, Is.True, queued.PublishError);
            Assert.That(await Sandbox.ScalarAsync<string>($"SELECT kallable FROM tasks WHERE id = {queued.TaskId}"), Is.EqualTo("MyLib.Jobs.Bark"));
        });
        await host.StopAsync();
    }

    [Test]
    public async Task CarrotVariables_OverrideTheSection()
    {
        Environment.SetEnvironmentVariable("CARROT_DATABASE", Sandbox.DatabasePath);
        try
        {
            using var host = BuildHost(Sandbox.BrokerUri, database: "elsewhere.db");
            await host.StartAsync();

            var queued = await host.Services.GetRequiredService<CarrotClient>().EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);

            Assert.That(await Sandbox.ScalarAsync<long>($"SELECT count(*) FROM tasks WHERE id = {queued.TaskId}"), Is.EqualTo(1));
            Assert.That(File.Exists(Path.Combine(Sandbox.Folder, "elsewhere.db")), Is.False);
            await host.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("CARROT_DATABASE", null);
        }
    }

    [Test]
    public void CarrotClient_BeforeTheHostStarted_SaysHowToGetOne()
    {
        using var host = BuildHost(Sandbox.BrokerUri);

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<CarrotClient>());

        Assert.That(error!.Message, Does.Contain("await CarrotClientProvider.GetClientAsync()"));
    }

    [Test]
    public void AWrongSection_StopsTheHostStart_WithTheReason()
    {
        using var host = BuildHost("not a uri");

        var error = Assert.ThrowsAsync<CarrotConfigurationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("is not an AMQP URI"));
    }

    [Test]
    public async Task HealthChecks_ReportTheDatabase_TheBroker_AndWhetherACarrotdIsAlive()
    {
        using var host = BuildHost(Sandbox.BrokerUri);
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var withoutDaemon = await health.CheckHealthAsync();
        await Sandbox.StartDaemonAsync();
        var withDaemon = await health.CheckHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(withoutDaemon.Entries["carrot-database"].Status, Is.EqualTo(HealthStatus.Healthy), withoutDaemon.Entries["carrot-database"].Description);
            Assert.That(withoutDaemon.Entries["carrot-broker"].Status, Is.EqualTo(HealthStatus.Healthy), withoutDaemon.Entries["carrot-broker"].Description);
            Assert.That(withoutDaemon.Entries["carrot-daemon"].Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(withoutDaemon.Entries["carrot-daemon"].Description, Does.StartWith("No carrotd is alive"));
            Assert.That(withDaemon.Status, Is.EqualTo(HealthStatus.Healthy), string.Join("; ", withDaemon.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
            Assert.That(withDaemon.Entries["carrot-daemon"].Description, Does.StartWith("1 carrotd alive"));
        });
        await host.StopAsync();
    }

    [Test]
    public async Task BrokerHealthCheck_WhenRabbitMqIsDown_IsUnhealthy_AndShowsNoPassword()
    {
        using var host = BuildHost("amqp://guest:s3cret-pw@127.0.0.1:1/");
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var broker = report.Entries["carrot-broker"];
        Assert.Multiple(() =>
        {
            Assert.That(broker.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(broker.Description, Does.Contain("Cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:1/"));
            Assert.That(report.Entries.Values.Select(e => e.Description), Has.None.Contains("s3cret-pw"));
            Assert.That(report.Entries["carrot-database"].Status, Is.EqualTo(HealthStatus.Healthy), "the database does not need the broker");
        });
        await host.StopAsync();
    }

    [Test]
    public async Task HealthChecks_WhenTheDatabaseCannotBeOpened_AreUnhealthy_WithTheReason()
    {
        // A file stands where the database's folder should be: SQLite cannot create it, whoever runs the test.
        using var host = BuildHost(Sandbox.BrokerUri, database: Path.Combine(Sandbox.ConfigPath, "carrot.db"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries.Values.Select(e => e.Status), Is.All.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Entries["carrot-database"].Description, Does.StartWith("Cannot create the database folder"));
            Assert.That(report.Entries["carrot-daemon"].Description, Does.StartWith("Not checked: the database cannot be read."));
        });
    }

    /// <summary>A host as an application builds one: its content root the sandbox folder, Carrot's section in its configuration.</summary>
    private IHost BuildHost(string broker, string? database = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Sandbox.Folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Carrot:database"] = database ?? Path.GetFileName(Sandbox.DatabasePath),
            ["Carrot:broker"] = broker,
        });
        builder.Services.AddCarrot(builder.Configuration.GetSection("Carrot"));
        builder.Services.AddHealthChecks().AddCarrotHealthChecks();
        return builder.Build();
    }
}
