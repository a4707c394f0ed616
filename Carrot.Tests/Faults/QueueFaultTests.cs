using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>A worker's queue purged or deleted under a running daemon: the database still knows, and the tasks run once.</summary>
[TestFixture]
[Category("Faults")]
public sealed class QueueFaultTests : SandboxTest
{
    [TestCase("purge_queue")]
    [TestCase("delete_queue")]
    public async Task QueueLostUnderTheDaemon_TasksAreReconciledAndRunOnce(string command)
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["reconcileAfterSeconds"] = 2 });
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("slow", 1);
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.slow", TimeSpan.FromSeconds(10));
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await client.EnqueueAsync("MyLib.Probe.Run", [probe, i == 0 ? 2500 : 100], worker: "slow")).TaskId);
        }

        await daemon.WaitForLogAsync($"Task {ids[0]} MyLib.Probe.Run started", TimeSpan.FromSeconds(10));
        var vhost = new Uri(Sandbox.BrokerUri).AbsolutePath.Trim('/');
        await Sandbox.Node.CtlAsync(command, "-p", vhost, "carrot.slow");

        foreach (var id in ids)
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(45));
            Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
            Assert.That(task.Attempts, Is.EqualTo(1));
        }

        var runs = ProbeLog.Read(probe);
        Assert.That(runs.Select(r => r.TaskId), Is.EquivalentTo(ids));
        Assert.That(ProbeLog.MaxOverlap(runs), Is.EqualTo(1));
        Assert.That(daemon.Output, Does.Contain("publishing them again"));
    }
}
