using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>The broker drops every connection while a task runs: recovery, the outcome recorded once, no re-run.</summary>
[TestFixture]
[Category("Faults")]
public sealed class ConnectionFaultTests : SandboxTest
{
    [Test]
    public async Task CloseAllConnections_MidTask_RecoversWithoutRunningTheTaskTwice()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 3000]);
        await daemon.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));

        await Sandbox.Node.CloseAllConnectionsAsync();
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await client.EnqueueAsync("MyLib.Jobs+Nested.Ping");
        var ping = await client.WaitForCompletionAsync(after.TaskId, TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
            Assert.That(done.Attempts, Is.EqualTo(1));
            Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1));
            Assert.That(ping.State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
        });
    }
}
