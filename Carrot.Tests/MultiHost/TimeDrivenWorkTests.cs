using System.Globalization;
using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>Time-driven work happens once however many hosts' schedulers watch the clock: occurrences, and delayed tasks.</summary>
[TestFixtureSource(typeof(SharedStore), nameof(SharedStore.Engines))]
public sealed class TimeDrivenWorkTests(string engine) : MultiHostTest(engine)
{
    private const string Worker = "probe";

    [Test]
    public async Task AScheduleEverySecond_FiresOncePerOccurrence_AcrossThreeHosts()
    {
        await using var client = await CreateClientAsync();
        await client.AddWorkerAsync(Worker, concurrency: 2);
        await StartHostsAsync(Worker);

        var schedule = await client.AddScheduleAsync(new ScheduleRequest
        {
            Name = "tick",
            Kallable = ProbeKallable,
            Args = System.Text.Json.JsonSerializer.Serialize(new object[] { ExecutionLog, 20 }),
            Worker = Worker,
            Every = TimeSpan.FromSeconds(1),
        });
        await Task.Delay(TimeSpan.FromSeconds(10));
        await client.PauseScheduleAsync(schedule.Name);
        await WaitUntilAsync(async () => (await TasksAsync(client, Worker)).All(t => t.State == TaskState.Succeeded), TimeSpan.FromSeconds(30), "every fired task ran");

        var tasks = (await TasksAsync(client, Worker)).OrderBy(t => t.RunAt).ToList();
        var runs = HostRun.Read(ExecutionLog).ToLookup(r => r.TaskId);
        var gaps = tasks.Zip(tasks.Skip(1), (a, b) => (b.RunAt!.Value - a.RunAt!.Value).TotalMilliseconds).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tasks, Has.Count.InRange(8, 12), "about ten occurrences in ten seconds");
            Assert.That(tasks.Select(t => t.ScheduleId), Is.All.EqualTo(schedule.Id));
            Assert.That(tasks.Select(t => t.RunAt), Is.All.Not.Null);
            Assert.That(tasks.Select(t => t.RunAt).ToList(), Is.Unique, "two tasks for one occurrence");
            Assert.That(gaps, Is.All.GreaterThanOrEqualTo(999), "occurrences less than the interval apart");
            Assert.That(tasks.Select(t => runs[t.Id].Count()), Is.All.EqualTo(1), "a fired task ran other than once");
        });
        await TestContext.Out.WriteLineAsync($"{Engine}: {tasks.Count} occurrences, run by " +
            string.Join(", ", tasks.GroupBy(t => t.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
    }

    [Test]
    public async Task DelayedTasks_ArePublishedOnce_AndRunOnce_AcrossThreeHosts()
    {
        const int Count = 40;
        await using var client = await CreateClientAsync();
        await client.AddWorkerAsync(Worker, concurrency: 2);
        await StartHostsAsync(Worker);

        // Paused, so every message a promotion publishes stays in the queue to be counted.
        await client.PauseWorkerAsync(Worker);
        foreach (var host in Hosts)
        {
            await host.WaitForLogAsync($"Worker {Worker} paused", TimeSpan.FromSeconds(10));
        }

        var queued = await client.EnqueueManyAsync(Enumerable.Range(0, Count).Select(_ => Probe(ExecutionLog, 20, Worker, delay: TimeSpan.FromSeconds(2))).ToList());
        Assert.That((await TasksAsync(client, Worker)).Select(t => t.State), Is.All.EqualTo(TaskState.Scheduled));
        await WaitUntilAsync(async () => (await TasksAsync(client, Worker)).All(t => t is { State: TaskState.Queued, PublishedAt: not null }), TimeSpan.FromSeconds(30), "every delayed task was promoted and published");
        await Task.Delay(TimeSpan.FromSeconds(2)); // any second publication would have arrived by now
        var messages = await QueueDepthAsync($"carrot.{Worker}");

        await client.ResumeWorkerAsync(Worker);
        await WaitUntilAsync(async () => (await TasksAsync(client, Worker)).All(t => t.State == TaskState.Succeeded), TimeSpan.FromSeconds(60), "every delayed task ran");
        var tasks = await TasksAsync(client, Worker);
        var runs = HostRun.Read(ExecutionLog).ToLookup(r => r.TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(messages, Is.EqualTo(Count), "messages in the queue for the delayed tasks");
            Assert.That(tasks.Select(t => t.Id), Is.EquivalentTo(queued.Select(q => q.TaskId)));
            Assert.That(tasks.Select(t => t.Attempts), Is.All.EqualTo(1));
            Assert.That(tasks.Select(t => runs[t.Id].Count()), Is.All.EqualTo(1), "a delayed task ran other than once");
        });
        await TestContext.Out.WriteLineAsync($"{Engine}: {Count} delayed tasks, {messages} messages, run by " +
            string.Join(", ", tasks.GroupBy(t => t.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
    }

    /// <summary>Messages in a queue of this test's virtual host, as the broker counts them (ready and unacked).</summary>
    private async Task<int> QueueDepthAsync(string queue)
    {
        var vhost = Uri.UnescapeDataString(new Uri(Sandbox.BrokerUri).AbsolutePath.TrimStart('/'));
        var table = await Sandbox.Node.CtlAsync("list_queues", "-q", "--no-table-headers", "-p", vhost, "name", "messages");
        var row = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', ' ')).Single(p => p[0] == queue);
        return int.Parse(row[^1], CultureInfo.InvariantCulture);
    }
}
