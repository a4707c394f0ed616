using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd.Lifecycle;

/// <summary>Delayed and timed tasks wait in the database and start on time, across a daemon restart; priorities order a worker's queue.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class DelayAndPriorityTests : SandboxTest
{
    [Test]
    public async Task DelayedTask_IsScheduled_ThenStartsWithinASecondOfItsTime()
    {
        await Sandbox.StartDaemonAsync();

        var enqueue = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--delay", "2s");
        var id = long.Parse(enqueue.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await using var client = await Sandbox.CreateClientAsync();
        var waiting = (await client.GetTaskAsync(id))!;
        var done = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));

        Assert.That(enqueue.ExitCode, Is.EqualTo(0), enqueue.Output);
        Assert.That(waiting.State, Is.EqualTo(TaskState.Scheduled));
        Assert.That(waiting.PublishedAt, Is.Null, "nothing sits in RabbitMQ while it waits");
        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded));
        var late = done.StartedAt!.Value - waiting.RunAt!.Value;
        Assert.That(late, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)), "started on time, not before");
        await TestContext.Out.WriteLineAsync($"delayed task started {late.TotalMilliseconds:0} ms after its time");
    }

    [Test]
    public async Task TaskDueWhileNoDaemonRuns_StartsRightAfterTheNextDaemonStarts()
    {
        var first = await Sandbox.StartDaemonAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var enqueue = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--at", at);
        Assert.That(enqueue.ExitCode, Is.EqualTo(0), enqueue.Output);
        Assert.That(await first.StopAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0));

        await Task.Delay(TimeSpan.FromSeconds(4));
        await using var client = await Sandbox.CreateClientAsync();
        Assert.That((await client.GetTaskAsync(1))!.State, Is.EqualTo(TaskState.Scheduled), "no daemon, nothing published");
        await Sandbox.StartDaemonAsync();
        var done = await client.WaitForCompletionAsync(1, TimeSpan.FromSeconds(20));

        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded));
        Assert.That(done.Attempts, Is.EqualTo(1));
    }

    // That each due task is promoted (and so published) by one daemon is shown on the store
    // (LifecycleStoreTests); here, with two real daemons, each delayed task runs once, on its first attempt.
    [Test]
    public async Task TwoDaemons_RunEachDueTaskOnce()
    {
        await Sandbox.StartDaemonAsync();
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");

        for (var i = 0; i < 20; i++)
        {
            await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Probe.Run", Args = $"[\"{probe.Replace("\\", "\\\\", StringComparison.Ordinal)}\", 10]", Delay = TimeSpan.FromSeconds(1) });
        }

        for (var id = 1; id <= 20; id++)
        {
            Assert.That((await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20))).State, Is.EqualTo(TaskState.Succeeded));
        }

        Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(20), "each ran once");
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT max(attempts) FROM tasks"), Is.EqualTo(1));
    }

    [Test]
    public async Task PausedWorker_RunsNothingNew_ThenOnResumeRunsHighestPriorityFirst()
    {
        await Sandbox.CarrotAsync("workers", "add", "ordered", "--concurrency", "1");
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.ordered", TimeSpan.FromSeconds(10));
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        await using var client = await Sandbox.CreateClientAsync();

        // A running task finishes after the pause; nothing else starts.
        var running = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 1500], worker: "ordered");
        await TimeoutAndCancelTests.PollAsync(() => client.GetTaskAsync(running.TaskId), t => t!.State == TaskState.Running, TimeSpan.FromSeconds(10));
        var pause = await Sandbox.CarrotAsync("workers", "pause", "ordered");
        await daemon.WaitForLogAsync("Worker ordered paused", TimeSpan.FromSeconds(5));
        var priorities = new[] { 0, 5, 9, 1, 5, 3 };
        var ids = new Dictionary<long, int>();
        foreach (var priority in priorities)
        {
            ids[(await client.EnqueueAsync("MyLib.Probe.Run", [probe, 10], worker: "ordered", priority: priority)).TaskId] = priority;
        }

        Assert.That((await client.WaitForCompletionAsync(running.TaskId, TimeSpan.FromSeconds(10))).State, Is.EqualTo(TaskState.Succeeded), "the running task finished");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1), "nothing new started while paused");
        var list = await Sandbox.CarrotAsync("workers", "list");
        Assert.That(list.StdOut, Does.Match(@"ordered\s+1\s+inprocess\s+-\s+paused"));

        await Sandbox.CarrotAsync("workers", "resume", "ordered");
        foreach (var id in ids.Keys)
        {
            await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));
        }

        var order = ProbeLog.Read(probe).Skip(1).OrderBy(r => r.StartMs).Select(r => ids[r.TaskId]).ToList();
        Assert.That(pause.ExitCode, Is.EqualTo(0), pause.Output);
        Assert.That(order, Is.EqualTo(priorities.OrderByDescending(p => p).ToList()), "highest priority first");
    }

    [Test]
    public async Task BadDelayOrTime_IsOneLine_ExitTwo_AndNothingWritten()
    {
        foreach (var args in new[]
        {
            new[] { "--delay", "soon" },
            new[] { "--at", "2026-12-01T09:00:00" },
            new[] { "--at", "tomorrow" },
            new[] { "--delay", "5s", "--at", "2026-12-01T09:00:00Z" },
            new[] { "--max-retries", "-1" },
            new[] { "--timeout", "0s" },
        })
        {
            var run = await Sandbox.CarrotAsync(["enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", .. args]);
            Assert.That(run.ExitCode, Is.EqualTo(2), string.Join(' ', args) + ": " + run.Output);
            Assert.That(run.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1), string.Join(' ', args));
        }

        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }
}
