using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>SIGTERM with tasks in flight: finish what can finish, hand back the rest, leave nothing running.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ShutdownTests : SandboxTest
{
    [Test]
    public async Task Sigterm_FinishesShortTasks_HandsBackLongOnes_AndLeavesNothingRunning()
    {
        // The sandbox gives running tasks a 5 s grace period.
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var quick = await client.EnqueueAsync("MyLib.Probe.Sleep", [1500]);
        var slow = await client.EnqueueAsync("MyLib.Probe.Sleep", [120_000]);
        var stubborn = await client.EnqueueAsync("MyLib.Probe.Sleep", [120_000, true]);
        await daemon.WaitForLogAsync($"Task {stubborn.TaskId} MyLib.Probe.Sleep started", TimeSpan.FromSeconds(15));
        await daemon.WaitForLogAsync($"Task {slow.TaskId} MyLib.Probe.Sleep started", TimeSpan.FromSeconds(15));

        var exitCode = await daemon.StopAsync(TimeSpan.FromSeconds(40));

        Assert.That(exitCode, Is.EqualTo(0), daemon.Output);
        var tasks = await client.ListTasksAsync(new Carrot.Records.TaskQuery());
        Assert.Multiple(async () =>
        {
            Assert.That(tasks.Single(t => t.Id == quick.TaskId).State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(tasks.Single(t => t.Id == slow.TaskId).State, Is.EqualTo(TaskState.Queued));
            Assert.That(tasks.Single(t => t.Id == slow.TaskId).Attempts, Is.Zero);
            Assert.That(tasks.Single(t => t.Id == stubborn.TaskId).State, Is.EqualTo(TaskState.Queued));
            Assert.That(tasks.Count(t => t.State == TaskState.Running), Is.Zero);
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM daemons WHERE stopped_at IS NULL"), Is.Zero);
        });
    }

    [Test]
    public async Task HandedBackTask_RunsOnTheNextDaemon()
    {
        var first = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 60_000]);
        await first.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));
        await first.StopAsync(TimeSpan.FromSeconds(40));

        // Shorten the handed-back run, then let a new daemon take it.
        await Sandbox.ExecuteAsync($"UPDATE tasks SET args = '[\"{probe}\", 50]' WHERE id = {queued.TaskId}");
        await Sandbox.StartDaemonAsync();
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));

        Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), done.ErrorMessage);
        Assert.That(done.Attempts, Is.EqualTo(1));
        Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1));
    }
}
