using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>
/// A fault inside one of carrotd's hosted services never aborts the daemon: it is logged once (a stack trace at
/// most once), the service carries on, and the daemon keeps running tasks. A fault the daemon cannot run without
/// ends it with one line and a non-zero exit, never an abort (exit 134) with the trace three times.
/// </summary>
[TestFixture]
[Category("Faults")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostedServiceFaultTests : SandboxTest
{
    private const int Nobody = 65534;
    private const string StackFrame = "   at ";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Sighup_WithAConfigurationTheDaemonsUserCannotRead_KeepsTheOldConfiguration_AndKeepsRunningTasks()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("Needs root, to run carrotd as another user (a file mode does not stop root itself).");
        }

        var daemon = await Sandbox.StartDaemonAsUserAsync(Nobody);
        await using var client = await Sandbox.CreateClientAsync();
        var slow = await client.EnqueueAsync("MyLib.Probe.Sleep", [4000]);
        await daemon.WaitForLogAsync($"Task {slow.TaskId} MyLib.Probe.Sleep started", Wait);

        File.SetUnixFileMode(Sandbox.ConfigPath, (UnixFileMode)0);
        daemon.Signal(DaemonProcess.SigHup);
        await daemon.WaitForLogAsync("Reload failed, still running the previous configuration and task assemblies", Wait);

        var later = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        Assert.Multiple(async () =>
        {
            Assert.That(daemon.Output, Does.Contain($"The configuration file {Sandbox.ConfigPath} cannot be read"));
            Assert.That((await client.WaitForCompletionAsync(slow.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded), "the running task finished");
            Assert.That((await client.WaitForCompletionAsync(later.TaskId, Wait)).Result, Is.EqualTo("\"Rex: Woof!\""), "a new task ran on the old configuration");
            Assert.That(daemon.HasExited, Is.False);
            Assert.That(daemon.Output, Does.Not.Contain(StackFrame));
        });
        Assert.That(await daemon.StopAsync(Wait), Is.Zero);
    }

    [Test]
    public async Task HeartbeatThatKeepsFailing_IsLoggedOnce_RecoversByItself_AndTasksRunMeanwhile()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["heartbeatSeconds"] = 1, ["leaseSeconds"] = 60 });
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        // Every heartbeat write fails as long as the trigger exists: a real SQLite error on each beat.
        await Sandbox.ExecuteAsync("CREATE TRIGGER injected_fault BEFORE UPDATE OF heartbeat_at ON daemons BEGIN SELECT RAISE(ABORT, 'injected heartbeat fault'); END");
        await daemon.WaitForLogAsync("injected heartbeat fault", Wait);
        var during = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        Assert.That((await client.WaitForCompletionAsync(during.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few more failed beats, which must not be logged again

        await Sandbox.ExecuteAsync("DROP TRIGGER injected_fault");
        await daemon.WaitForLogAsync("Heartbeat works again after", Wait);

        Assert.Multiple(async () =>
        {
            Assert.That(Occurrences(daemon.Output, "injected heartbeat fault"), Is.EqualTo(1), daemon.Output);
            Assert.That(daemon.Output, Does.Contain("Heartbeat failed, will retry in 1 s"));
            Assert.That(daemon.Output, Does.Not.Contain(StackFrame));
            Assert.That(await daemon.StopAsync(Wait), Is.Zero);
        });
    }

    [Test]
    public async Task SchedulerFault_IsLoggedOnceWithOneTrace_AndTheDaemonKeepsServing()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        // A schedule row that cannot be read back (text where a number belongs) fails every scheduler pass with
        // an error that is not the database's: the scheduler's loop ends with it and is started again.
        var add = await Sandbox.CarrotAsync("schedules", "add", "broken", "MyLib.Jobs.Bark", "--every", "1s", "--args", "[\"Rex\"]");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        await Sandbox.ExecuteAsync("UPDATE schedules SET priority = 'high', next_run_at = 0");
        await daemon.WaitForLogAsync("SchedulerService failed unexpectedly, will retry in", Wait);
        await Task.Delay(TimeSpan.FromSeconds(4)); // restarted after 1 s, 2 s: failing again each time

        var probe = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        Assert.Multiple(async () =>
        {
            Assert.That((await client.WaitForCompletionAsync(probe.TaskId, Wait)).Result, Is.EqualTo("\"Rex: Woof!\""));
            Assert.That(daemon.HasExited, Is.False);
            Assert.That(Occurrences(daemon.Output, "SchedulerService failed unexpectedly"), Is.EqualTo(1), daemon.Output);
            Assert.That(Occurrences(daemon.Output, "Unhandled exception"), Is.Zero, daemon.Output);
            Assert.That(await daemon.StopAsync(Wait), Is.Zero);
        });
    }

    [Test]
    public async Task DeadDaemonRecordThatCannotBeRead_IsOneLine_AndTheDaemonStartsAndServes()
    {
        var migrate = await Sandbox.CarrotAsync("workers", "list");
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.Output);
        // On this host (its kernel and PID namespace, as the daemon will see them), with a pid that is no number.
        await Sandbox.ExecuteAsync($"INSERT INTO daemons (id, host, host_key, pid, version, started_at, heartbeat_at) VALUES ('bogus', '{Environment.MachineName}', '{Carrot.Daemon.Hosting.HostKey.Read()}', 'not-a-pid', '0', 0, 0)");

        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var run = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);

        Assert.Multiple(async () =>
        {
            Assert.That((await client.WaitForCompletionAsync(run.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(Occurrences(daemon.Output, "Could not look for dead daemons on this host"), Is.EqualTo(1), daemon.Output);
            Assert.That(daemon.Output, Does.Not.Contain(StackFrame));
        });
    }

    [Test]
    public async Task DatabaseThatCannotBeOpenedAtStart_EndsTheDaemonWithOneLine_AndExitOne()
    {
        var blocker = Path.Combine(Sandbox.Folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = Path.Combine(blocker, "carrot.db") });

        var run = await ProcessRunner.RunAsync(RepositoryPaths.Carrotd, [], Sandbox.Environment(), Wait);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
            Assert.That(run.Output.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.Output);
            Assert.That(run.Output, Does.Contain("FTL").And.Contain(blocker));
        });
    }

    private static int Occurrences(string output, string text) => output.Split(text).Length - 1;
}
