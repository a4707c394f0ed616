using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>Daemons that die mid-task: nothing lost, nothing left running, a poison task contained.</summary>
[TestFixture]
[Category("Faults")]
public sealed class CrashTests : SandboxTest
{
    [Test]
    public async Task KillNine_MidTask_TaskRunsAgainOnRestart_WithOneTerminalState_AndTheRescueIsCounted()
    {
        var metricsPort = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["metrics"] = new Dictionary<string, string> { ["listen"] = $"127.0.0.1:{metricsPort}" },
        });
        var first = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 3000]);
        await first.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));

        await first.KillAsync();
        Assert.That((await client.GetTaskAsync(queued.TaskId))!.State, Is.EqualTo(TaskState.Running));
        var second = await Sandbox.StartDaemonAsync();
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));

        Assert.That(second.Output, Does.Contain($"(pid {first.Pid}) on this host died without stopping; 1 of its running task(s) are queued again"));
        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), second.Output);
        Assert.That(done.Attempts, Is.EqualTo(2));
        var runs = ProbeLog.Read(probe);
        Assert.That(runs, Has.Count.EqualTo(1));
        Assert.That(runs[0].Attempt, Is.EqualTo(2));
        Assert.That(runs[0].Pid, Is.EqualTo(second.Pid));
        var metrics = await Observability.MetricsScrape.UntilAsync($"http://127.0.0.1:{metricsPort}/metrics", l => l.StartsWith("carrot_task_rescues_total", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.That(Observability.MetricsScrape.Line(metrics, "carrot_task_rescues_total"), Is.EqualTo("carrot_task_rescues_total{carrot_rescue_reason=\"daemon_died\"} 1"), metrics);
    }

    [Test]
    public async Task PoisonTask_KillingItsDaemonEveryTime_FailsAfterMaxAttempts_AndOtherTasksStillSucceed()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("poison", 1);
        var poison = await client.EnqueueAsync("MyLib.Probe.Crash", worker: "poison");
        var others = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            others.Add((await client.EnqueueAsync("MyLib.Jobs+Nested.Ping")).TaskId);
        }

        // Plays systemd's Restart=on-failure: start a daemon again each time the poison kills it.
        var restarts = 0;
        for (; restarts < 6 && !(await client.GetTaskAsync(poison.TaskId))!.State.IsTerminal(); restarts++)
        {
            var daemon = await Sandbox.StartDaemonAsync(waitUntilConsuming: false);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!daemon.HasExited && DateTime.UtcNow < deadline && !(await client.GetTaskAsync(poison.TaskId))!.State.IsTerminal())
            {
                await Task.Delay(200);
            }
        }

        var final = await client.GetTaskAsync(poison.TaskId);
        Assert.That(final!.State, Is.EqualTo(TaskState.Failed));
        Assert.That(final.ErrorType, Is.EqualTo("Carrot.AttemptsExhausted"));
        Assert.That(final.Attempts, Is.EqualTo(3));
        Assert.That(restarts, Is.LessThanOrEqualTo(4));

        // A task caught in the first crash beside the poison runs alone afterwards, and so does the poison:
        // the others lose at most one attempt and all succeed.
        foreach (var id in others)
        {
            var other = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            Assert.That(other.State, Is.EqualTo(TaskState.Succeeded), $"task {id}: {other.ErrorType} {other.ErrorMessage}");
            Assert.That(other.Attempts, Is.LessThanOrEqualTo(2));
        }

        var after = await client.EnqueueAsync("MyLib.Jobs+Nested.Ping");
        Assert.That((await client.WaitForCompletionAsync(after.TaskId, TimeSpan.FromSeconds(30))).State, Is.EqualTo(TaskState.Succeeded));
    }
}
