using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Tests.Isolation;

/// <summary>
/// Process workers for real: carrotd, carrot-runner children, a private RabbitMQ node and an SQLite file. Each crash
/// kind ends only its runner; the crashed task's row says how; neighbours on the same and other workers succeed, and
/// carrotd's pid does not change.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
// Also its own category: the crash tests mostly wait on runners and kills, so scripts/test.sh runs them in the slow stream.
[Category("Isolation")]
public sealed class ProcessIsolationTests : ProcessWorkerTest
{
    [Test]
    public async Task ALibraryOnAnOlderSerilog_RunsWithItsOwnSerilog_InBothModes_AndProcessTasksRunOutsideCarrotd()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var inProcess = await SucceededAsync(client, await EnqueueAsync(client, "PinnedDependencyTasks.Tasks.LogWithOwnSerilog", WorkerRecord.DefaultName));
        var inRunner = await SucceededAsync(client, await EnqueueAsync(client, "PinnedDependencyTasks.Tasks.LogWithOwnSerilog", "isolated"));
        var inProcessPid = await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", WorkerRecord.DefaultName));
        var runnerPid = await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"));

        Assert.Multiple(() =>
        {
            Assert.That(inProcess.Result, Is.EqualTo("\"3.1.1\""), "in-process");
            Assert.That(inRunner.Result, Is.EqualTo("\"3.1.1\""), "process");
            Assert.That(inProcessPid.Result, Is.EqualTo(daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(runnerPid.Result, Is.Not.EqualTo(daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public async Task AnIsolationChange_ReachesARunningDaemon_ForTheTasksThatStartAfterIt()
    {
        var daemon = await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var pid = daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var before = await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", WorkerRecord.DefaultName));

        var change = await Sandbox.CarrotAsync("workers", "update", WorkerRecord.DefaultName, "--isolation", "process");
        Assert.That(change.ExitCode, Is.EqualTo(0), change.Output);
        await daemon.WaitForLogAsync("Worker default isolation changed from inprocess to process", TimeSpan.FromSeconds(30));
        var after = await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", WorkerRecord.DefaultName));

        await Sandbox.CarrotAsync("workers", "update", WorkerRecord.DefaultName, "--isolation", "inprocess");
        await daemon.WaitForLogAsync("Worker default isolation changed from process to inprocess", TimeSpan.FromSeconds(30));
        var back = await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", WorkerRecord.DefaultName));

        Assert.Multiple(() =>
        {
            Assert.That(before.Result, Is.EqualTo(pid));
            Assert.That(after.Result, Is.Not.EqualTo(pid));
            Assert.That(back.Result, Is.EqualTo(pid));
        });
        await daemon.WaitForLogAsync("The runners of worker default stop", TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task LogLines_WrittenInARunner_AreStoredWithTheTask_ThroughTheContextAndTheConsole()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var id = await EnqueueAsync(client, "CrashingTasks.Neighbours.Talk", "isolated", "[3, 10]");
        await SucceededAsync(client, id);
        var lines = (await client.GetTaskLogsAsync(id)).Select(l => l.Message).ToList();

        Assert.That(lines, Is.SupersetOf(new[]
        {
            "line 1 through the context", "line 1 on the console", "line 3 through the context", "line 3 on the console",
        }));
    }

    [TestCase("CrashingTasks.Crashes.Exit", "[0]", "exited with code 0")]
    [TestCase("CrashingTasks.Crashes.Exit", "[3]", "exited with code 3")]
    [TestCase("CrashingTasks.Crashes.FailFast", "[]", "signal 6")]
    [TestCase("CrashingTasks.Crashes.Overflow", "[0]", "Stack overflow")]
    public async Task ACrashingTask_FailsAlone_WithItsExitCode_WhileNeighboursOnEveryWorkerSucceed_AndCarrotdLives(string kallable, string args, string expected)
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 2);
            await AddProcessWorkerAsync(setup, "other", 1);
        }

        var daemon = await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();

        // Neighbours that are running when the crash comes: on the same worker, another process worker, and in-process.
        var sameWorker = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"same\", 3000]");
        var otherWorker = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "other", "[\"other\", 3000]");
        var inProcess = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", WorkerRecord.DefaultName, "[\"inprocess\", 3000]");
        await daemon.WaitForLogAsync($"Task {sameWorker} ", TimeSpan.FromSeconds(30));
        var crash = await EnqueueAsync(client, kallable, "isolated", args);

        var crashed = await FinishedAsync(client, crash);
        var after = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"after\", 0]");

        Assert.Multiple(async () =>
        {
            Assert.That(crashed.State, Is.EqualTo(TaskState.Failed));
            Assert.That(crashed.ErrorType, Is.EqualTo("Carrot.RunnerCrashed"));
            Assert.That(crashed.ErrorMessage, Does.Contain(expected));
            Assert.That((await SucceededAsync(client, sameWorker)).Result, Is.EqualTo("\"hello same\""));
            Assert.That((await SucceededAsync(client, otherWorker)).Result, Is.EqualTo("\"hello other\""));
            Assert.That((await SucceededAsync(client, inProcess)).Result, Is.EqualTo("\"hello inprocess\""));
            Assert.That((await SucceededAsync(client, after)).Result, Is.EqualTo("\"hello after\""));
            Assert.That(daemon.HasExited, Is.False);
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(DISTINCT pid) FROM daemons"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ARunnerKilledFromOutside_FailsOnlyItsTask_WithTheSignal_AndARetryRunsOnAFreshRunner()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("retryBaseDelaySeconds", 0));
        await using var client = await Sandbox.CreateClientAsync();
        var pidFile = Path.Combine(Sandbox.Folder, "runner.pid");

        var id = await EnqueueAsync(client, "CrashingTasks.Crashes.WaitForKill", "isolated", $"[{System.Text.Json.JsonSerializer.Serialize(pidFile)}]", maxRetries: 1);
        var pid = await ReadPidAsync(pidFile);
        Assert.That(pid, Is.Not.EqualTo(daemon.Pid));
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        // The retry (max-retries 1) runs on a new runner, writes the pid file again and is killed again: failed for good.
        await WaitForNewPidAsync(pidFile, pid);
        var second = await ReadPidAsync(pidFile);
        System.Diagnostics.Process.GetProcessById(second).Kill();
        var task = await FinishedAsync(client, id);
        var attempts = await client.GetTaskAttemptsAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(pid));
            Assert.That(task.State, Is.EqualTo(TaskState.Failed));
            Assert.That(task.Attempts, Is.EqualTo(2));
            Assert.That(task.ErrorType, Is.EqualTo("Carrot.RunnerCrashed"));
            Assert.That(task.ErrorMessage, Does.Contain("signal 9 (SIGKILL"));
            Assert.That(attempts.Select(a => a.ErrorType), Has.All.EqualTo("Carrot.RunnerCrashed"));
            Assert.That(daemon.HasExited, Is.False);
        });
    }

    [Test]
    public async Task ATaskThatIgnoresItsToken_IsStoppedAtItsTimeoutPlusTheGrace_ItsSideEffectNeverHappens_AndItsSlotIsFree()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        await StartAsync(("runawayGraceSeconds", 1));
        await using var client = await Sandbox.CreateClientAsync();
        var marker = Path.Combine(Sandbox.Folder, "side-effect.txt");

        var stubborn = await EnqueueAsync(client, "CrashingTasks.Neighbours.IgnoreToken", "isolated", $"[4, {System.Text.Json.JsonSerializer.Serialize(marker)}]", timeout: TimeSpan.FromSeconds(1));
        var next = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"next\", 0]");
        var stopped = await FinishedAsync(client, stubborn);
        var nextTask = await SucceededAsync(client, next);

        // Past the moment the task would have written its file, had its code gone on.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(stopped.State, Is.EqualTo(TaskState.Failed));
            Assert.That(stopped.ErrorType, Is.EqualTo("Carrot.Timeout"));
            Assert.That(stopped.ErrorMessage, Does.Contain("killed its runner process"));
            // Timeout 1 s + grace 1 s, and the start of the worker's first runner (well under a second on a quiet machine).
            Assert.That(stopped.FinishedAt - stopped.StartedAt, Is.LessThan(TimeSpan.FromSeconds(5)), "stopped at timeout + grace");
            Assert.That(nextTask.StartedAt, Is.LessThanOrEqualTo(stopped.FinishedAt!.Value.AddSeconds(1)), "its slot was free at once");
            Assert.That(File.Exists(marker), Is.False, "the side effect after the hard stop happened");
        });
    }

    internal static async Task<int> ReadPidAsync(string pidFile)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile, timeout.Token), out var pid))
            {
                return pid;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task WaitForNewPidAsync(string pidFile, int old)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile, timeout.Token), out var pid) || pid == old)
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
