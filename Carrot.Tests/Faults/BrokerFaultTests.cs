using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
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
            Assert.That(run.StdErr, Does.Contain("Task 1 saved but not yet dispatched").And.Contain("carrotd will publish it"));
            // The running carrotd took it over its socket, and its broker connection met the outage.
            Assert.That(daemon.Output, Does.Contain("Task 1 enqueued for a local carrot call"));

            var byItself = await sandbox.CarrotAsync(new Dictionary<string, string?> { ["CARROT_ENQUEUE_SOCKET"] = "off" }, "enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
            Assert.That((byItself.ExitCode, byItself.StdOut.Trim()), Is.EqualTo((75, "2")), byItself.Output);
        }
        finally
        {
            await _node.StartAppAsync();
        }

        await using var client = await sandbox.CreateClientAsync();
        var done = await client.WaitForCompletionAsync(1, TimeSpan.FromSeconds(60));
        var second = await client.WaitForCompletionAsync(2, TimeSpan.FromSeconds(60));

        Assert.That((done.State, second.State), Is.EqualTo((TaskState.Succeeded, TaskState.Succeeded)), daemon.Output);
        Assert.That(done.Result, Is.EqualTo("\"Rex: Woof!\""));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task BacklogOfFiveHundred_SurvivesABrokerRestart_AndEveryTaskRunsOnce(bool killNine)
    {
        await using var sandbox = await CarrotSandbox.CreateAsync(_node);
        await using var client = await sandbox.CreateClientAsync();
        var probe = Path.Combine(sandbox.Folder, "probe.log");
        await client.AddWorkerAsync("backlog", 2);
        for (var i = 0; i < 500; i++)
        {
            Assert.That((await client.EnqueueAsync("MyLib.Probe.Run", [probe, 15], worker: "backlog")).Published, Is.True);
        }

        // The broker goes down while the daemon is draining the backlog.
        var daemon = await sandbox.StartDaemonAsync();
        while (ProbeLog.Read(probe).Count < 50)
        {
            await Task.Delay(50);
        }

        if (killNine)
        {
            await _node.KillAndRestartAsync();
        }
        else
        {
            await _node.StopAppAsync();
            await _node.StartAppAsync();
        }

        for (var id = 1; id <= 500; id++)
        {
            Assert.That((await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60))).State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
        }

        var runs = ProbeLog.Read(probe);
        Assert.That(runs, Has.Count.EqualTo(500));
        Assert.That(runs.Select(r => r.TaskId).Distinct().Count(), Is.EqualTo(500));
        Assert.That(runs.All(r => r.Attempt == 1), Is.True);
    }
}
