using System.Net;
using System.Net.Sockets;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>Enqueue while RabbitMQ cannot be reached: the task is saved, the user is told, a daemon dispatches it later.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BrokerOutageTests : SandboxTest
{
    private const string Password = "s3nt1nel-pw-never-printed";

    [Test]
    public async Task EnqueueWithBrokerDown_ExitsSeventyFive_KeepsTheRow_AndTheDaemonRelaysIt()
    {
        Sandbox.WriteConfig($"amqp://guest:{Password}@127.0.0.1:{UnusedPort()}/");

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");

        Assert.That(run.ExitCode, Is.EqualTo(75), run.Output);
        Assert.That(run.StdOut.Trim(), Is.EqualTo("1"));
        Assert.That(run.StdErr, Does.Contain("carrotd will publish it"));
        Assert.That(run.Output, Does.Not.Contain(Password));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'queued' AND published_at IS NULL"), Is.EqualTo(1));

        Sandbox.WriteConfig(Sandbox.BrokerUri);
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var done = await client.WaitForCompletionAsync(1, TimeSpan.FromSeconds(30));

        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
        Assert.That(done.PublishedAt, Is.Not.Null);
        Assert.That(daemon.Output, Does.Contain("Relayed 1 unpublished task(s)"));
    }

    [Test]
    public async Task DaemonStartedWhileTheBrokerIsDown_KeepsRetrying_WithoutPrintingThePassword()
    {
        Sandbox.WriteConfig($"amqp://guest:{Password}@127.0.0.1:{UnusedPort()}/");

        var daemon = await Sandbox.StartDaemonAsync(waitUntilConsuming: false);
        await daemon.WaitForLogAsync("Retrying in 2 s", TimeSpan.FromSeconds(20));
        var status = await Sandbox.CarrotAsync("status");

        Assert.That(daemon.HasExited, Is.False);
        Assert.That(daemon.Output, Does.Contain("guest:***@127.0.0.1"));
        Assert.That(daemon.Output + status.Output, Does.Not.Contain(Password));
        Assert.That(status.StdOut, Does.Contain("unreachable"));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
