using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>A daemon frozen past its lease loses its task to a live one, and its late outcome is fenced out.</summary>
[TestFixture]
[Category("Faults")]
public sealed class LeaseFaultTests : SandboxTest
{
    [Test]
    public async Task FrozenDaemon_LosesItsTaskToALiveOne_AndItsLateOutcomeIsFencedOut()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["heartbeatSeconds"] = 1, ["leaseSeconds"] = 4 });
        var frozen = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 3000]);
        await frozen.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));

        frozen.Signal(DaemonProcess.SigStop);
        var rescuer = await Sandbox.StartDaemonAsync();
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(40));
        frozen.Signal(DaemonProcess.SigCont);
        await frozen.WaitForLogAsync($"Task {queued.TaskId} finished (succeeded) but its lease had been lost", TimeSpan.FromSeconds(20));

        var final = await client.GetTaskAsync(queued.TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(rescuer.Output, Does.Contain("Rescued 1 task(s) whose daemon stopped heartbeating"));
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(final!.Attempts, Is.EqualTo(2));
            Assert.That(final.Node, Does.EndWith($":{rescuer.Pid}"));
            Assert.That(final.FinishedAt, Is.EqualTo(done.FinishedAt), "the late outcome must not overwrite the recorded one");
            Assert.That(ProbeLog.Read(probe).Single(r => r.Pid == rescuer.Pid).Attempt, Is.EqualTo(2));
        });
    }
}
