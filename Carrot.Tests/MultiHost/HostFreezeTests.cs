using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>A host frozen (SIGSTOP on all its processes) past its lease, then thawed.</summary>
[TestFixtureSource(typeof(SharedStore), nameof(SharedStore.Engines))]
public sealed class HostFreezeTests(string engine) : MultiHostTest(engine)
{
    private const string Worker = "probe";

    [Test]
    public async Task AHostFrozenPastItsLease_AndThawed_CannotOverwriteWhatAnotherHostRecorded()
    {
        await using var client = await CreateClientAsync();
        await client.AddWorkerAsync(Worker, concurrency: 1);
        await StartHostsAsync(Worker);
        var queued = await client.EnqueueAsync(Probe(ExecutionLog, 5000, Worker));
        await WaitUntilAsync(() => Task.FromResult(HostRun.Read(ExecutionLog).Count > 0), TimeSpan.FromSeconds(30), "the task started");
        var frozen = HostNamed(HostRun.Read(ExecutionLog)[0].Host);
        await frozen.FreezeAsync();

        // Its lease (3 s) runs out; a living host rescues the task and runs it to the end.
        await WaitUntilAsync(async () => (await client.GetTaskAsync(queued.TaskId))?.State == TaskState.Succeeded, TimeSpan.FromSeconds(60), "another host finished the task");
        var recorded = (await client.GetTaskAsync(queued.TaskId))!;
        var attemptsBefore = await client.GetTaskAttemptsAsync(queued.TaskId);
        frozen.Thaw();

        // The thawed host's run ends (its timer is long overdue) and it tries to record its own outcome.
        await frozen.WaitForLogAsync($"Task {queued.TaskId} finished (succeeded) but its lease had been lost", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two heartbeats of the thawed host, whose lease renewal must not touch the row either
        var after = (await client.GetTaskAsync(queued.TaskId))!;
        var attempts = await client.GetTaskAttemptsAsync(queued.TaskId);
        var runs = HostRun.Read(ExecutionLog);
        var winner = runs.Single(r => r.Host != frozen.Name);

        Assert.Multiple(() =>
        {
            Assert.That(recorded.Node, Is.Not.EqualTo(frozen.Node));
            Assert.That(after, Is.EqualTo(recorded), "the thawed host changed the row");
            Assert.That((after.Node, after.Attempts, after.Result), Is.EqualTo((winner.Node, 2, $"\"{winner.Node}\"")));
            Assert.That(attempts, Is.EqualTo(attemptsBefore), "the thawed host changed the attempts history");

            // The story: attempt 1 on the frozen host, lost when its lease ran out; attempt 2 on the winner.
            Assert.That(attempts.Select(a => (a.Attempt, a.Node, a.Status)), Does.Contain((1, (string?)frozen.Node, "lost")));
            Assert.That(attempts.Where(a => a.Node == frozen.Node && a.Status != "lost"), Is.Empty);
            Assert.That(runs.Select(r => (r.Attempt, r.Host, Ended: r.EndMs is not null)), Is.EquivalentTo(new[] { (1, frozen.Name, true), (2, winner.Host, true) }),
                "both runs went to their end: the frozen one after the thaw");
        });
        await TestContext.Out.WriteLineAsync($"{Engine}: frozen {frozen.Name}; attempts: " +
            string.Join("; ", attempts.Select(a => $"{a.Attempt} {a.Node} {a.Status} {a.ErrorType}")) + $"; row: {after.State.ToName()} by {after.Node}");
    }
}
