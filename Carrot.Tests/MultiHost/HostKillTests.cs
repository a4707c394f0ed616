using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>A host dies whole (every process, <c>kill -9</c>) while three drain a backlog.</summary>
[TestFixtureSource(typeof(SharedStore), nameof(SharedStore.Engines))]
public sealed class HostKillTests(string engine) : MultiHostTest(engine)
{
    private const string Worker = "probe";
    private const int Backlog = 300;

    [Test]
    public async Task AHostKilledMidDrain_EveryTaskEndsOnce_NoneRunsTwiceAtOnce()
    {
        await using var client = await CreateClientAsync();
        await client.AddWorkerAsync(Worker, concurrency: 3);
        await StartHostsAsync(Worker);
        var random = new Random(12);
        var queued = await client.EnqueueManyAsync(Enumerable.Range(0, Backlog).Select(_ => Probe(ExecutionLog, random.Next(50, 201), Worker)).ToList());
        Assert.That(queued.All(q => q.Published), Is.True);
        var victim = Hosts[1];

        // Mid-drain: a sixth of the backlog done, and the victim in the middle of tasks of its own.
        await WaitUntilAsync(
            () => Task.FromResult(HostRun.Read(ExecutionLog) is var runs && runs.Count(r => r.EndMs is not null) >= Backlog / 6 && runs.Any(r => r.Host == victim.Name && r.EndMs is null)),
            TimeSpan.FromSeconds(60), "a sixth of the backlog ran and the victim is running a task");
        await victim.KillAsync();
        var killedAt = NowMs();
        await WaitUntilAsync(async () => (await TasksAsync(client, Worker)).All(t => t.State == TaskState.Succeeded), TimeSpan.FromSeconds(120), "every task succeeded");

        var tasks = await TasksAsync(client, Worker);
        var runsByTask = HostRun.Read(ExecutionLog).ToLookup(r => r.TaskId);
        var interrupted = runsByTask.SelectMany(g => g).Where(r => r.EndMs is null).ToList();
        var survivors = Hosts.Where(h => h != victim).Select(h => h.Name).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(victim.IsAlive, Is.False, "a process of the killed host survived");
            Assert.That(tasks.Select(t => t.Id).ToList(), Has.Count.EqualTo(Backlog).And.Unique);
            Assert.That(tasks.Where(t => t.State != TaskState.Succeeded), Is.Empty);
            Assert.That(interrupted, Is.Not.Empty, "the kill interrupted no run: the test proved nothing");
            Assert.That(interrupted.Select(r => r.Host), Is.All.EqualTo(victim.Name), "only the killed host's runs may lack an end");
            Assert.That(HostRun.Overlaps(runsByTask.SelectMany(g => g), r => r.Host == victim.Name ? killedAt : null), Is.Empty, "runs of one task overlapped");
            foreach (var task in tasks)
            {
                var runs = runsByTask[task.Id].OrderBy(r => r.StartMs).ToList();
                var last = runs.LastOrDefault();
                Assert.That(last?.EndMs, Is.Not.Null, $"task {task.Id}: its last run did not end");

                // The row tells the last run's story: its node, its attempt, its result.
                Assert.That((task.Node, task.Attempts, task.Result), Is.EqualTo((last?.Node, last?.Attempt, $"\"{last?.Node}\"")), $"task {task.Id}");

                // A second run only because the first one's host died, and then on a host that lives.
                Assert.That(runs.SkipLast(1).Select(r => r.Host), Is.All.EqualTo(victim.Name), $"task {task.Id} ran again though its host lived");
                if (runs.Count > 1)
                {
                    Assert.That(survivors, Does.Contain(last?.Host), $"task {task.Id}");
                }
            }

            foreach (var interruptedRun in interrupted)
            {
                Assert.That(runsByTask[interruptedRun.TaskId].Any(r => r.StartMs >= killedAt && survivors.Contains(r.Host)), Is.True,
                    $"task {interruptedRun.TaskId}, cut short by the kill, never ran again on a living host");
            }
        });
        await TestContext.Out.WriteLineAsync(
            $"{Engine}: {interrupted.Count} run(s) cut short on {victim.Name}; runs per host: " +
            string.Join(", ", runsByTask.SelectMany(g => g).GroupBy(r => r.Host).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
    }
}
