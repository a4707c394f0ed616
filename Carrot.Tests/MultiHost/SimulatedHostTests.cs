using System.Diagnostics;
using System.Globalization;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>The harness itself: a simulated host is what the multi-host tests take it for.</summary>
[TestFixture]
[Category("MultiHost")]
public sealed class SimulatedHostTests : SandboxTest
{
    [Test]
    public async Task AHost_HasItsOwnHostnameAndPids_AndIsFrozenThawedAndKilledWhole()
    {
        await using var host = await SimulatedHost.StartAsync("host-x", Sandbox.Environment());
        await using var client = await Sandbox.CreateClientAsync();
        var log = Path.Combine(Sandbox.Folder, "runs.log");

        // Task code inside sees the host's name and its PID there, as carrotd's node says.
        var queued = await client.EnqueueAsync("MyLib.HostProbe.Run", [log, 10]);
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(host.Node, Is.EqualTo("host-x:2"));
            Assert.That((done.State, done.Node, done.Result), Is.EqualTo((TaskState.Succeeded, "host-x:2", "\"host-x:2\"")));
            Assert.That(host.Processes(), Does.Contain(host.InitPid).And.Count.GreaterThanOrEqualTo(2));
            Assert.That(Environment.MachineName, Is.Not.EqualTo("host-x"), "the test's own hostname changed");
            Assert.That(host.Output, Does.Not.Contain(":guest@"), "the broker password was printed");
        });

        await host.FreezeAsync();
        Assert.That(host.Processes().Select(SimulatedHost.State), Is.All.EqualTo('T'));
        host.Thaw();
        var afterThaw = await client.EnqueueAsync("MyLib.HostProbe.Run", [log, 10]);
        Assert.That((await client.WaitForCompletionAsync(afterThaw.TaskId, TimeSpan.FromSeconds(30))).State, Is.EqualTo(TaskState.Succeeded), "the thawed host does not work");

        var processes = host.Processes();
        await host.KillAsync();
        Assert.Multiple(() =>
        {
            Assert.That(host.IsAlive, Is.False);
            Assert.That(processes.Where(pid => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")), Is.Empty);
        });
    }

    [Test]
    public async Task AHost_DiesWithTheProcessThatOwnsIt()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        await using var host = await SimulatedHost.StartAsync("host-owned", Sandbox.Environment(), ownerPid: owner.Id);
        Assert.That(host.IsAlive, Is.True);

        owner.Kill();
        await owner.WaitForExitAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (host.IsAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(host.Processes(), Is.Empty, "the host outlived the process that owned it");
    }

    [Test]
    public async Task AHost_CanGiveItsDaemonAnotherPid()
    {
        await using var host = await SimulatedHost.StartAsync("host-y", Sandbox.Environment(), daemonPid: 5);

        Assert.That(host.Node, Is.EqualTo("host-y:5"));
    }
}
