using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary>SIGHUP under a process worker: new tasks get runners of the new code, a running task finishes on its old runner.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ProcessReloadTests : ProcessWorkerTest
{
    [Test]
    public async Task AfterAReload_NewTasksRunOnNewRunners_WhileARunningTaskFinishesOnItsOldRunner()
    {
        var dll = Sandbox.InstallVersionedTasks(1);
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 2);
        }

        var daemon = await StartAsync(("taskAssemblies", new[] { dll }));
        await using var client = await Sandbox.CreateClientAsync();
        Assert.That((await SucceededAsync(client, await EnqueueAsync(client, "VersionedTasks.Tasks.Version", "isolated"))).Result, Is.EqualTo("\"1\""));
        var slow = await EnqueueAsync(client, "VersionedTasks.Tasks.Slow", "isolated", "[6000]");
        await daemon.WaitForLogAsync($"Task {slow} ", TimeSpan.FromSeconds(30));

        Sandbox.InstallVersionedTasks(2);
        daemon.Signal(DaemonProcess.SigHup);
        await daemon.WaitForLogAsync("Reloaded:", TimeSpan.FromSeconds(30));

        // A client of its own: it validates against the code on disk as it was when it was made.
        await using var after = await Sandbox.CreateClientAsync();
        var added = await SucceededAsync(after, await EnqueueAsync(after, "VersionedTasks.Tasks.Added", "isolated"));
        var version = await SucceededAsync(after, await EnqueueAsync(after, "VersionedTasks.Tasks.Version", "isolated"));
        var running = await Sandbox.ScalarAsync<string>($"SELECT status FROM tasks WHERE id = {slow}");
        var finished = await SucceededAsync(client, slow);

        Assert.Multiple(() =>
        {
            Assert.That(added.Result, Is.EqualTo("\"added in 2\""), "a kallable the reload added runs in a new runner");
            Assert.That(version.Result, Is.EqualTo("\"2\""), "a new task runs the new code");
            Assert.That(running, Is.EqualTo("running"), "the slow task was still running meanwhile");
            Assert.That(finished.Result, Is.EqualTo("\"1\""), "the task that started before the reload finished on its old runner");
            Assert.That(daemon.Output, Does.Contain("replaced: a reload replaced its task assemblies"));
        });
    }
}
