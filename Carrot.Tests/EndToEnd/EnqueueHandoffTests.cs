using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// carrot enqueue hands the task to the local carrotd over its socket, with the real processes: the same row, output,
/// messages and exit codes as when it enqueues by itself, and enqueueing by itself whenever the daemon cannot take it
/// (other settings, gone, frozen, stopping).
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnqueueHandoffTests : SandboxTest
{
    private static readonly Dictionary<string, string?> ByItself = new() { ["CARROT_ENQUEUE_SOCKET"] = "off" };

    private string SocketPath => Sandbox.DatabasePath + ".sock";

    [Test]
    public async Task AnEnqueue_IsHandedToTheLocalDaemon_AndRecordsTheRowTheCliWouldHaveWritten()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync($"Taking enqueues from local carrot calls on {SocketPath}", TimeSpan.FromSeconds(10));
        string[] enqueue = ["enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--kwargs", """{"times": 2}""", "--priority", "3", "--max-retries", "4", "--timeout", "30s", "--key", "order-1"];

        var handed = await Sandbox.CarrotAsync(enqueue);
        await daemon.WaitForLogAsync("Task 1 succeeded in", TimeSpan.FromSeconds(30));
        var direct = await Sandbox.CarrotAsync(ByItself, [.. enqueue[..^1], "order-2"]);
        await daemon.WaitForLogAsync("Task 2 succeeded in", TimeSpan.FromSeconds(30));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((handed.ExitCode, handed.StdOut.Trim(), handed.StdErr), Is.EqualTo((0, "1", "")), handed.Output);
            Assert.That((direct.ExitCode, direct.StdOut.Trim(), direct.StdErr), Is.EqualTo((0, "2", "")), direct.Output);
            Assert.That(daemon.Output, Does.Contain("Task 1 enqueued for a local carrot call"));
            Assert.That(daemon.Output, Does.Not.Contain("Task 2 enqueued for a local carrot call"));
            const string Row = "SELECT kallable || '|' || args || '|' || kwargs || '|' || worker || '|' || priority || '|' || max_attempts || '|' || max_retries || '|' || timeout_ms || '|' || status || '|' || (published_at IS NOT NULL) FROM tasks WHERE id = ";
            Assert.That(await Sandbox.ScalarAsync<string>(Row + "1"), Is.EqualTo(await Sandbox.ScalarAsync<string>(Row + "2")).And.StartsWith("MyLib.Jobs.Bark|"));
        });
    }

    [Test]
    public async Task AHandedOffEnqueue_GivesTheSameJson_TheSameDuplicateNotice_AndWaitsForTheResult()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));

        var json = TaskJson.Parse((await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--key", "k", "--json")).StdOut);
        var again = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--key", "k");
        var waited = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Add", "--args", "[2, 3]", "--wait");
        var delayed = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Later"]""", "--delay", "1h");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(json.GetProperty("taskId").GetInt64(), Is.EqualTo(1));
            Assert.That(json.GetProperty("published").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("state").GetString(), Is.AnyOf("queued", "running", "succeeded"));
            Assert.That((again.ExitCode, again.StdOut.Trim()), Is.EqualTo((0, "1")), again.Output);
            Assert.That(again.StdErr, Does.Contain("Not enqueued again: task 1 already has this key."));
            Assert.That((waited.ExitCode, waited.StdOut.Trim()), Is.EqualTo((0, "5")), waited.Output);
            Assert.That((delayed.ExitCode, delayed.StdOut.Trim()), Is.EqualTo((0, "3")), delayed.Output);
            Assert.That(await Sandbox.ScalarAsync<string>("SELECT status FROM tasks WHERE id = 3"), Is.EqualTo("scheduled"));
            Assert.That(daemon.Output, Does.Contain("Task 3 enqueued for a local carrot call"));
        });
    }

    [TestCase("MyLib.Jobs.Bark", "--args", """{"not": "an array"}""")]
    [TestCase("MyLib.Nope.Bark")]
    [TestCase("System.IO.File.Delete", "--args", """["/etc/passwd"]""")]
    [TestCase("MyLib.Jobs.Bark", "--args", """["Rex"]""", "--worker", "nobody")]
    [TestCase("MyLib.Jobs.Bark", "--args", """["Rex", "not a number"]""")]
    [TestCase("MyLib.Jobs.Bark", "--args", """["Rex"]""", "--key", "")]
    public async Task BadInput_HandedOff_GetsTheLineAndExitCodeItGetsWithoutTheDaemon_AndWritesNothing(params string[] input)
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));

        var handed = await Sandbox.CarrotAsync(["enqueue", .. input]);
        var direct = await Sandbox.CarrotAsync(ByItself, ["enqueue", .. input]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(handed.ExitCode, Is.EqualTo(2), handed.Output);
            Assert.That((handed.ExitCode, handed.StdOut, handed.StdErr), Is.EqualTo((direct.ExitCode, direct.StdOut, direct.StdErr)));
            Assert.That(handed.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
        });
    }

    [Test]
    public async Task ACallWithOtherSettings_IsNotTakenByTheDaemon_AndEnqueuesWithItsOwn()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));
        // The same database and broker, but another retry budget: the daemon would record max_attempts 3 (a delayed
        // task keeps what was recorded until it runs).
        var other = Path.Combine(Sandbox.Folder, "other.json");
        File.WriteAllText(other, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["database"] = Sandbox.DatabasePath, ["broker"] = Sandbox.BrokerUri, ["taskAssemblies"] = new[] { RepositoryPaths.MyLibFolder }, ["maxAttempts"] = 7,
        }));

        var run = await Sandbox.CarrotAsync(new Dictionary<string, string?> { ["CARROT_CONFIG"] = other }, "enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--delay", "1h");
        await daemon.WaitForLogAsync("Declined an enqueue hand-off", TimeSpan.FromSeconds(10));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT max_attempts FROM tasks WHERE id = 1"), Is.EqualTo(7));
        Assert.That(daemon.Output, Does.Contain("Declined an enqueue hand-off: the caller's maxAttempts differ from this carrotd's"));
        Assert.That(daemon.Output, Does.Not.Contain("Task 1 enqueued for a local carrot call"));
    }

    [Test]
    public async Task TheSocketOfADaemonKilled_IsPassedBy_AndTakenOverByTheNextDaemon()
    {
        var first = await Sandbox.StartDaemonAsync();
        await first.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));
        await first.KillAsync();
        Assert.That(File.Exists(SocketPath), Is.True, "kill -9 leaves the socket file behind");

        var orphan = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        var second = await Sandbox.StartDaemonAsync();
        await second.WaitForLogAsync("Task 1 succeeded in", TimeSpan.FromSeconds(30));
        await second.WaitForLogAsync($"Taking enqueues from local carrot calls on {SocketPath}", TimeSpan.FromSeconds(10));
        var handed = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        await second.WaitForLogAsync("Task 2 succeeded in", TimeSpan.FromSeconds(30));

        Assert.That((orphan.ExitCode, orphan.StdOut.Trim(), orphan.StdErr), Is.EqualTo((0, "1", "")), orphan.Output);
        Assert.That((handed.ExitCode, handed.StdOut.Trim()), Is.EqualTo((0, "2")), handed.Output);
        Assert.That(second.Output, Does.Contain("Task 2 enqueued for a local carrot call"));
    }

    [Test]
    public async Task AFrozenDaemon_DoesNotHoldTheCall_ItEnqueuesByItself()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));
        daemon.Signal(DaemonProcess.SigStop);

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        daemon.Signal(DaemonProcess.SigCont);
        await daemon.WaitForLogAsync("Task 1 succeeded in", TimeSpan.FromSeconds(30));

        Assert.That((run.ExitCode, run.StdOut.Trim(), run.StdErr), Is.EqualTo((0, "1", "")), run.Output);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1), "recorded once, by the CLI itself");
        Assert.That(daemon.Output, Does.Not.Contain("Task 1 enqueued for a local carrot call"));
    }

    [Test]
    public async Task AStoppedDaemon_RemovesItsSocket_AndCallsEnqueueByThemselves()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));

        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), daemon.Output);
        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");

        Assert.That(File.Exists(SocketPath), Is.False);
        Assert.That((run.ExitCode, run.StdOut.Trim()), Is.EqualTo((0, "1")), run.Output);
        Assert.That(await Sandbox.ScalarAsync<string>("SELECT status FROM tasks WHERE id = 1"), Is.EqualTo(nameof(TaskState.Queued).ToLowerInvariant()));
    }

    [Test]
    public async Task WithTheHandoffOff_TheDaemonOpensNoSocket()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["enqueueSocket"] = "off" });
        var daemon = await Sandbox.StartDaemonAsync();

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        await daemon.WaitForLogAsync("Task 1 succeeded in", TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(daemon.Output, Does.Contain("Enqueue hand-off off (enqueueSocket)"));
        Assert.That(File.Exists(SocketPath), Is.False);
    }

    [Test]
    public async Task OnPostgres_TheSocketIsWhereTheSettingSays_OpenToItsGroup_AndTheTaskIsHandedOff()
    {
        var socket = Path.Combine(Sandbox.Folder, "run", "carrotd.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        // Relative to the configuration file, as every path in it.
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = await SharedPostgres.CreateDatabaseAsync(migrated: false), ["enqueueSocket"] = "run/carrotd.sock" });
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync($"Taking enqueues from local carrot calls on {socket}", TimeSpan.FromSeconds(10));

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--wait");

        Assert.That((run.ExitCode, run.StdOut.Trim()), Is.EqualTo((0, "\"Rex: Woof!\"")), run.Output);
        Assert.That(daemon.Output, Does.Contain("Task 1 enqueued for a local carrot call"));
        Assert.That(File.GetUnixFileMode(socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite));
    }

    [TestCase(UnixFileMode.GroupRead | UnixFileMode.GroupWrite, UnixFileMode.GroupRead | UnixFileMode.GroupWrite)]
    [TestCase(UnixFileMode.GroupRead, UnixFileMode.None)]
    public async Task OnSqlite_TheSocketTakesTheDatabaseFilesWriteAccess(UnixFileMode databaseGroup, UnixFileMode socketGroup)
    {
        Assert.That((await Sandbox.CarrotAsync("workers", "list")).ExitCode, Is.Zero, "creates the database");
        File.SetUnixFileMode(Sandbox.DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | databaseGroup);
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(10));

        Assert.That(File.GetUnixFileMode(SocketPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | socketGroup));
    }
}
