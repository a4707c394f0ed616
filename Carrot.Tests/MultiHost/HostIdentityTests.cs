using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>
/// Hosts that share a kernel (containers, these namespaces) may share a hostname too: a daemon's host must be told
/// apart by more than its name, or the same-host rescue at start takes another host's live daemon for its own
/// dead one (its PID is absent from this host's /proc) and runs that daemon's running tasks a second time.
/// </summary>
[TestFixtureSource(typeof(SharedStore), nameof(SharedStore.Engines))]
public sealed class HostIdentityTests(string engine) : MultiHostTest(engine)
{
    private const string Worker = "probe";

    // Before the host key, daemons were told apart by hostname and PID only, so the second "twin" buried the first
    // one's daemon ("died without stopping") and ran its running task again, beside it.
    [Test]
    public async Task TwoHostsWithOneHostname_AreTwoHosts_NeitherRescuesTheOthersLiveTasks()
    {
        await using var client = await CreateClientAsync();
        await client.AddWorkerAsync(Worker, concurrency: 1);
        var first = await StartHostAsync("twin", Worker);
        var queued = await client.EnqueueAsync(Probe(ExecutionLog, 6000, Worker));
        await WaitUntilAsync(() => Task.FromResult(HostRun.Read(ExecutionLog).Count > 0), TimeSpan.FromSeconds(30), "the task started");

        // Same name, other PID namespace, carrotd at another PID: as a second container on the same machine.
        var second = await StartHostAsync("twin", Worker, daemonPid: 3);
        await WaitUntilAsync(async () => (await client.GetTaskAsync(queued.TaskId))?.State == TaskState.Succeeded, TimeSpan.FromSeconds(60), "the task finished");

        var task = (await client.GetTaskAsync(queued.TaskId))!;
        var runs = HostRun.Read(ExecutionLog);
        Assert.Multiple(() =>
        {
            Assert.That(second.Output, Does.Not.Contain("died without stopping"), "the second host took the first one's live daemon for dead");
            Assert.That(runs, Has.Count.EqualTo(1), "the live daemon's running task ran a second time");
            Assert.That(HostRun.Overlaps(runs, _ => null), Is.Empty, "two runs of the task at once");
            Assert.That((task.Node, task.Attempts), Is.EqualTo((first.Node, 1)));
        });
    }
}
