using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// SIGHUP (systemctl reload) under a running carrotd: a task assembly swapped on disk runs its new code for new
/// tasks while a task that started before finishes on the old; configuration changes add task assemblies; a
/// broken assembly leaves the daemon on the code it had.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ReloadTests : SandboxTest
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task SwappedAssembly_RunsTheNewCodeForNewTasks_WhileARunningTaskFinishesOnTheOld()
    {
        var dll = Sandbox.InstallVersionedTasks(1);
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["taskAssemblies"] = new[] { dll } });
        var daemon = await Sandbox.StartDaemonAsync();
        Assert.That(await RunAsync("VersionedTasks.Tasks.Version"), Is.EqualTo("\"1\""));
        var unknown = await Sandbox.CarrotAsync("enqueue", "VersionedTasks.Tasks.Added");
        Assert.That(unknown.ExitCode, Is.EqualTo(2), "version 1 has no Added: " + unknown.Output);

        var slow = await Sandbox.CarrotAsync("enqueue", "VersionedTasks.Tasks.Slow", "--kwargs", """{"milliseconds": 8000}""");
        var slowId = long.Parse(slow.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitForStatusAsync(slowId, "running");

        // Overwritten in place, as a deployment that copies over the file does: the daemon must not have it mapped.
        Sandbox.InstallVersionedTasks(2);
        daemon.Signal(DaemonProcess.SigHup);
        await daemon.WaitForLogAsync("Reloaded:", ReloadTimeout);

        Assert.Multiple(async () =>
        {
            Assert.That(await RunAsync("VersionedTasks.Tasks.Version"), Is.EqualTo("\"2\""), "a new task runs the new code");
            Assert.That(await RunAsync("VersionedTasks.Tasks.Added"), Is.EqualTo("\"added in 2\""), "a kallable the reload added runs");
            Assert.That(await Sandbox.ScalarAsync<string>($"SELECT status FROM tasks WHERE id = {slowId}"), Is.EqualTo("running"), "the slow task is still running");
        });

        await using var client = await Sandbox.CreateClientAsync();
        var finished = await client.WaitForCompletionAsync(slowId, TimeSpan.FromSeconds(30));
        Assert.That(finished.Result, Is.EqualTo("\"1\""), "the task that started before the reload finished on the old code");
        await daemon.WaitForLogAsync("Unloaded the previous code of task assembly", ReloadTimeout);
        Assert.That(daemon.Output, Does.Contain("1 reloaded").And.Contain("+ VersionedTasks.Tasks.Added"));
        Assert.That(daemon.HasExited, Is.False);
    }

    [Test]
    public async Task ConfigurationReload_AddsATaskAssembly_AndABrokenAssemblyKeepsThePreviousCode()
    {
        var dll = Sandbox.InstallVersionedTasks(1);
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["taskAssemblies"] = new[] { dll }, ["maxAttempts"] = 5 });
        var daemon = await Sandbox.StartDaemonAsync();
        var before = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        Assert.That(before.ExitCode, Is.EqualTo(2), "MyLib is not configured yet: " + before.Output);

        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["taskAssemblies"] = new[] { dll, RepositoryPaths.MyLibFolder }, ["maxAttempts"] = 4 });
        daemon.Signal(DaemonProcess.SigHup);
        await daemon.WaitForLogAsync("Reloaded:", ReloadTimeout);
        Assert.That(await RunAsync("MyLib.Jobs.Bark", "--args", """["Rex"]"""), Is.EqualTo("\"Rex: Woof!\""));
        Assert.That(daemon.Output, Does.Contain("1 task assemblies added").And.Contain("1 unchanged").And.Contain("+ MyLib.Jobs.Bark"));
        Assert.That(daemon.Output, Does.Contain("\"maxAttempts\" changed in the configuration; it takes effect only when carrotd restarts"));

        // A deployment that leaves a broken file: the reload fails and the daemon keeps running what it had.
        File.WriteAllText(dll, "not an assembly");
        daemon.Signal(DaemonProcess.SigHup);
        await daemon.WaitForLogAsync("Reload failed, still running the previous configuration and task assemblies", ReloadTimeout);

        // This CLI validates against the intact build; the daemon has only the broken file on disk.
        var environment = Sandbox.Environment();
        environment["CARROT_TASK_ASSEMBLIES"] = Path.Combine(RepositoryPaths.VersionedTasksFolder(1), "VersionedTasks.dll");
        var run = await ProcessRunner.RunAsync(RepositoryPaths.Carrot, ["enqueue", "VersionedTasks.Tasks.Version", "--wait"], environment, TimeSpan.FromSeconds(60));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.StdOut.Trim(), Is.EqualTo("\"1\""));
    }

    private async Task<string> RunAsync(string kallable, params string[] more)
    {
        var run = await Sandbox.CarrotAsync(["enqueue", kallable, "--wait", .. more]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return run.StdOut.Trim();
    }

    private async Task WaitForStatusAsync(long id, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await Sandbox.ScalarAsync<string>($"SELECT status FROM tasks WHERE id = {id}") != status)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"task {id} never became {status}");
            await Task.Delay(50);
        }
    }
}
