using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>RabbitMQ stopped under Carrot. A node of its own, since these tests stop it.</summary>
[TestFixture]
[Category("Faults")]
public sealed class BrokerFaultTests
{
    private RabbitMqNode _node = null!;

    [OneTimeSetUp]
    public async Task StartNodeAsync() => _node = await RabbitMqNode.StartAsync(CancellationToken.None);

    [OneTimeTearDown]
    public async Task StopNodeAsync() => await _node.DisposeAsync();

    [Test]
    public async Task EnqueueWhileTheBrokerAppIsStopped_ExitsSeventyFive_AndIsDispatchedAfterStartApp()
    {
        await using var sandbox = await CarrotSandbox.CreateAsync(_node);
        var daemon = await sandbox.StartDaemonAsync();
        await _node.StopAppAsync();
        try
        {
            var run = await sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
            Assert.That(run.ExitCode, Is.EqualTo(75), run.Output);
        }
        finally
        {
            await _node.StartAppAsync();
        }

        await using var client = await sandbox.CreateClientAsync();
        var done = await client.WaitForCompletionAsync(1, TimeSpan.FromSeconds(60));

        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
        Assert.That(done.Result, Is.EqualTo("\"Rex: Woof!\""));
    }
}
