using System.Diagnostics;
using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd.Lifecycle;

/// <summary>Timeouts and cancellation of queued, scheduled and running tasks, and what happens to a task that ignores its token.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TimeoutAndCancelTests : SandboxTest
{
    [SetUp]
    public void Configure() => Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
    {
        ["runawayGraceSeconds"] = 1,
        ["maxAttempts"] = 1,
    });

    [Test]
    public async Task TimeoutFromTheOption_AndFromTheAttribute_FireTheToken_AndFailTheTask()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var byOption = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Probe.Sleep", Args = "[60000]", Timeout = TimeSpan.FromSeconds(1) });
        var byAttribute = await client.EnqueueAsync("MyLib.Flaky.SlowerThanItsTimeout");

        foreach (var id in new[] { byOption.TaskId, byAttribute.TaskId })
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));
            Assert.That(task.State, Is.EqualTo(TaskState.Failed), $"task {id}");
            Assert.That(task.ErrorType, Is.EqualTo("Carrot.Timeout"));
            Assert.That(task.ErrorMessage, Does.Contain("timed out after 1 s"));
            Assert.That((task.FinishedAt - task.StartedAt)!.Value.TotalSeconds, Is.InRange(0.9, 3), "ended when its token fired");
        }
    }

    [Test]
    public async Task TaskIgnoringItsToken_IsRecordedAfterTheGrace_FreesItsSlot_AndIsReportedAsARunaway()
    {
        await Sandbox.CarrotAsync("workers", "add", "single", "--concurrency", "1");
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var runaway = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Probe.Sleep", Args = "[30000, true]", Worker = "single", Timeout = TimeSpan.FromSeconds(1) });
        var next = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs+Nested.Ping", Worker = "single" });

        var stuck = await client.WaitForCompletionAsync(runaway.TaskId, TimeSpan.FromSeconds(20));
        var after = await client.WaitForCompletionAsync(next.TaskId, TimeSpan.FromSeconds(20));

        Assert.That(stuck.State, Is.EqualTo(TaskState.Failed));
        Assert.That(stuck.ErrorType, Is.EqualTo("Carrot.Timeout"));
        Assert.That(stuck.ErrorMessage, Does.Contain("ignored its cancellation token"));
        Assert.That((stuck.FinishedAt - stuck.StartedAt)!.Value.TotalSeconds, Is.InRange(1.9, 5), "timeout 1 s + grace 1 s");
        Assert.That(after.State, Is.EqualTo(TaskState.Succeeded), "the slot was freed while the runaway still sleeps");

        // The heartbeat (every 5 s) publishes the runaway list.
        var table = await PollAsync(() => Sandbox.CarrotAsync("status"), r => r.StdOut.Contains("runaway", StringComparison.Ordinal), TimeSpan.FromSeconds(12));
        Assert.That(table.StdOut, Does.Contain("1 runaway task(s): " + runaway.TaskId));
        var json = await Sandbox.CarrotAsync("status", "--json");
        Assert.That(json.StdOut, Does.Contain("\"runawayTasks\""));
    }

    [Test]
    public async Task CancelQueuedAndScheduledTasks_TheyNeverStart()
    {
        await Sandbox.CarrotAsync("workers", "add", "held", "--concurrency", "1");
        await Sandbox.CarrotAsync("workers", "pause", "held");
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Worker held is paused", TimeSpan.FromSeconds(10));
        var probe = Path.Combine(Sandbox.Folder, "probe.log");

        var queued = await Sandbox.CarrotAsync("enqueue", "MyLib.Probe.Run", "--args", $"[\"{probe}\", 10]", "--worker", "held");
        var scheduled = await Sandbox.CarrotAsync("enqueue", "MyLib.Probe.Run", "--args", $"[\"{probe}\", 10]", "--delay", "60s");
        var cancelQueued = await Sandbox.CarrotAsync("tasks", "cancel", queued.StdOut.Trim());
        var cancelScheduled = await Sandbox.CarrotAsync("tasks", "cancel", scheduled.StdOut.Trim());
        var cancelAgain = await Sandbox.CarrotAsync("tasks", "cancel", queued.StdOut.Trim());
        await Sandbox.CarrotAsync("workers", "resume", "held");
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.That(cancelQueued.ExitCode, Is.EqualTo(0), cancelQueued.Output);
        Assert.That(cancelQueued.StdOut, Does.Contain("cancelled"));
        Assert.That(cancelScheduled.ExitCode, Is.EqualTo(0), cancelScheduled.Output);
        Assert.That(cancelAgain.ExitCode, Is.EqualTo(2));
        Assert.That(cancelAgain.StdErr, Does.Contain("already cancelled"));
        Assert.That(ProbeLog.Read(probe), Is.Empty, "neither ever ran");
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'cancelled' AND started_at IS NULL"), Is.EqualTo(2));
    }

    [Test]
    public async Task CancelRunningTask_FiresItsTokenWithinTwoSeconds_OnWhicheverDaemonRunsIt()
    {
        await Sandbox.StartDaemonAsync();
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var queued = await client.EnqueueAsync("MyLib.Probe.Sleep", [60000]);
        await PollAsync(() => client.GetTaskAsync(queued.TaskId), t => t!.State == TaskState.Running, TimeSpan.FromSeconds(10));

        var stopwatch = Stopwatch.StartNew();
        var cancel = await Sandbox.CarrotAsync("tasks", "cancel", $"{queued.TaskId}");
        stopwatch.Stop();

        var task = (await client.GetTaskAsync(queued.TaskId))!;
        Assert.That(cancel.ExitCode, Is.EqualTo(0), cancel.Output);
        Assert.That(cancel.StdOut, Does.Contain($"Task {queued.TaskId} cancelled."));
        Assert.That(task.State, Is.EqualTo(TaskState.Cancelled));
        Assert.That(task.ErrorType, Is.EqualTo("Carrot.Cancelled"));
        Assert.That((task.FinishedAt - task.CancelRequestedAt)!.Value, Is.LessThan(TimeSpan.FromSeconds(2)), "token fired and outcome recorded within 2 s");
        Assert.That(task.Attempts, Is.EqualTo(1));
        await TestContext.Out.WriteLineAsync($"cancel of a running task: requested→recorded {(task.FinishedAt - task.CancelRequestedAt)!.Value.TotalMilliseconds:0} ms, CLI {stopwatch.ElapsedMilliseconds} ms");
    }

    [Test]
    public async Task CancelUnknownTask_IsOneLineAndExitTwo()
    {
        var unknown = await Sandbox.CarrotAsync("tasks", "cancel", "4242");

        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(unknown.StdErr, Does.Contain("There is no task 4242"));
    }

    internal static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {timeout.TotalSeconds} s; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
