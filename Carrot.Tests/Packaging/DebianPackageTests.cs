using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Packaging;

/// <summary>
/// The .deb on this machine, for real: built by packaging/build-deb.sh (or taken from CARROT_TEST_DEB), installed
/// with dpkg -i, its unit checked with systemd-analyze, carrotd run from it as the carrot user the way systemd
/// would start it (NOTIFY_SOCKET, INVOCATION_ID, UMask 0027), carrot status and completion used, then removed
/// (data kept) and purged (data, configuration and user gone). Where the machine allows it, the unit also runs
/// under a real systemd in its own namespaces (scripts/systemd-sandbox.sh). Needs root and dpkg; the tests run in order.
/// </summary>
[TestFixture]
[Category("Packaging")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DebianPackageTests
{
    private const string StateFolder = "/var/lib/carrot";
    private const string ConfigFile = "/etc/carrot/carrot.json";
    private const string Unit = "/lib/systemd/system/carrotd.service";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);

    private string _deb = "";

    [OneTimeSetUp]
    public async Task BuildAndInstallAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("Installing a .deb needs root: run the suite as root (CI does).");
        }

        if (!File.Exists("/usr/bin/dpkg") || !File.Exists("/usr/bin/dpkg-deb"))
        {
            Assert.Ignore("dpkg and dpkg-deb are missing: the package tests need a Debian or Ubuntu machine.");
        }

        _deb = await FindOrBuildAsync();

        // A run that was interrupted may have left the package installed.
        await PurgeAsync();
        var install = await RunAsync("dpkg", "-i", _deb);
        Assert.That(install.ExitCode, Is.EqualTo(0), install.Output);
    }

    [OneTimeTearDown]
    public async Task PurgeAsync()
    {
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/dpkg-query"))
        {
            return;
        }

        // "install ok installed", or "deinstall ok config-files" after a remove: either way there is something to purge.
        var state = (await RunAsync("dpkg-query", "-W", "-f=${Status}", "carrot")).StdOut;
        if (state.Contains("installed", StringComparison.Ordinal) || state.Contains("config-files", StringComparison.Ordinal))
        {
            var purge = await RunAsync("dpkg", "-P", "carrot");
            Assert.That(purge.ExitCode, Is.EqualTo(0), purge.Output);
        }
    }

    [Test]
    [Order(1)]
    public async Task Install_CreatesTheCarrotUser_AClosedStateFolder_AndAProtectedConffile()
    {
        var user = (await RunAsync("getent", "passwd", "carrot")).StdOut.Trim();
        var version = (await RunAsync("dpkg-query", "-W", "-f=${Version}", "carrot")).StdOut.Trim();
        var conffiles = (await RunAsync("dpkg-query", "-W", "-f=${Conffiles}", "carrot")).StdOut;

        Assert.Multiple(async () =>
        {
            Assert.That(user, Does.EndWith($":{StateFolder}:/usr/sbin/nologin"));
            Assert.That(await StatAsync(StateFolder), Is.EqualTo("carrot:carrot 750"));
            Assert.That(await StatAsync(ConfigFile), Is.EqualTo("root:carrot 640"));
            Assert.That(conffiles, Does.Contain(ConfigFile));
            Assert.That(File.ResolveLinkTarget("/usr/bin/carrot", returnFinalTarget: false)?.FullName, Is.EqualTo("/usr/lib/carrot/carrot"));
            Assert.That(File.Exists("/usr/share/doc/carrot/copyright") && File.Exists("/usr/share/doc/carrot/changelog.gz"), Is.True);
            Assert.That((await RunAsync("/usr/bin/carrot", "--version")).StdOut.Trim(), Is.EqualTo(version));
            Assert.That((await RunAsync("/usr/bin/carrotd", "--version")).StdOut.Trim(), Is.EqualTo(version));
        });
    }

    [Test]
    [Order(2)]
    public async Task InstalledUnit_PassesSystemdAnalyzeVerify_AndRatesOk()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is missing (package systemd): the unit cannot be checked here.");
        }

        var verify = await RunAsync("systemd-analyze", "verify", Unit);
        var security = await RunAsync("systemd-analyze", "security", "--offline=true", "--no-pager", Unit);

        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Output);
        Assert.That(verify.Output.Trim(), Is.Empty);
        var score = ExposureLevel().Match(security.StdOut);
        Assert.That(score.Success, Is.True, security.Output);
        TestContext.Out.WriteLine($"systemd-analyze security: {score.Value}");
        Assert.That(double.Parse(score.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(4.9));
    }

    [Test]
    [Order(3)]
    public async Task InstalledDaemon_RunsAsCarrot_TellsSystemdReadyReloadingStopping_AndCarrotStatusShowsIt()
    {
        var node = await SharedBroker.GetAsync();
        var vhost = await SharedBroker.CreateVirtualHostAsync(node);
        using var notify = new NotifySocket();
        var environment = ServiceEnvironment($"amqp://guest:guest@127.0.0.1:{node.AmqpPort}/{vhost}");
        environment["NOTIFY_SOCKET"] = notify.Path;
        environment["INVOCATION_ID"] = Guid.NewGuid().ToString("N");

        // As systemd starts it: the carrot user, UMask=0027, and SYSTEMD_EXEC_PID naming the daemon's own pid.
        var stopwatch = Stopwatch.StartNew();
        await using var daemon = DaemonProcess.Start("/usr/bin/setpriv", environment,
            "--reuid=carrot", "--regid=carrot", "--init-groups", "--", "/bin/sh", "-c",
            $"umask 0027; export SYSTEMD_EXEC_PID=$$; exec /usr/bin/carrotd --config {ConfigFile}");
        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine($"carrotd: READY=1 {stopwatch.ElapsedMilliseconds} ms after the process started");
        await daemon.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(30));

        var status = await RunAsCarrotAsync(environment, "/usr/bin/carrot", "status", "--json");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Output);
        var json = TaskJson.Parse(status.StdOut);
        var daemons = json.GetProperty("daemons");
        Assert.Multiple(async () =>
        {
            Assert.That(json.GetProperty("brokerError").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), status.Output);
            Assert.That(daemons.GetArrayLength(), Is.EqualTo(1));
            Assert.That(daemons[0].GetProperty("pid").GetInt32(), Is.EqualTo(daemon.Pid));
            Assert.That(daemons[0].GetProperty("runningTasks").GetInt32(), Is.Zero);
            Assert.That(await StatAsync($"{StateFolder}/carrot.db"), Is.EqualTo("carrot:carrot 640"), "UMask 0027: the database is not world-readable");
            Assert.That(daemon.Output, Does.StartWith("INF carrotd "), "under systemd the journal stamps the time: no timestamp of our own");
        });
        var table = await RunAsCarrotAsync(environment, "/usr/bin/carrot", "status");
        Assert.That(table.StdOut, Does.Contain("RUNNING").And.Contain($"{daemon.Pid}"));

        daemon.Signal(DaemonProcess.SigHup);
        await notify.WaitForAsync("RELOADING=1", TimeSpan.FromSeconds(30));
        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(30));
        await daemon.WaitForLogAsync("Reloaded:", TimeSpan.FromSeconds(10));

        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), daemon.Output);
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(5));
    }

    [Test]
    [Order(4)]
    public async Task InstalledUnit_UnderARealSystemd_Starts_Reloads_RestartsOnFailure_AndStops()
    {
        var node = await SharedBroker.GetAsync();
        var vhost = await SharedBroker.CreateVirtualHostAsync(node);

        // Where the hardened service can read it: ProtectHome and PrivateTmp hide home folders and /tmp.
        var tasks = $"{StateFolder}/test-tasks";
        Directory.CreateDirectory(tasks);
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.MyLibFolder))
        {
            File.Copy(file, Path.Combine(tasks, Path.GetFileName(file)), overwrite: true);
        }

        // The installed unit as it is, plus a test drop-in: no sysinit/basic targets exist in the bare sandbox,
        // the broker is the test node, and output goes to a file since no journald runs there.
        var units = Directory.CreateTempSubdirectory("carrot-units-").FullName;
        File.Copy(Unit, Path.Combine(units, "carrotd.service"));
        Directory.CreateDirectory(Path.Combine(units, "carrotd.service.d"));
        var brokerUri = $"amqp://guest:guest@127.0.0.1:{node.AmqpPort}/{vhost}";
        await File.WriteAllTextAsync(Path.Combine(units, "carrotd.service.d", "test.conf"), $"""
            [Unit]
            DefaultDependencies=no
            [Service]
            Environment=CARROT_BROKER={brokerUri}
            StandardOutput=append:/run/carrotd.log
            StandardError=inherit
            """);

        var sandbox = Path.Combine(RepositoryPaths.Root, "scripts", "systemd-sandbox.sh");
        var started = await RunAsync("bash", sandbox, "start", units);
        if (started.ExitCode == 3)
        {
            Assert.Ignore($"This machine cannot host a systemd sandbox: {started.StdErr.Trim()}");
        }

        Assert.That(started.ExitCode, Is.EqualTo(0), started.Output);
        var systemd = started.StdOut.Trim();
        try
        {
            Task<ProcessResult> Inside(params string[] command) => RunAsync("bash", [sandbox, "run", systemd, .. command]);
            async Task<string> MainPidAsync() => (await Inside("systemctl", "show", "-p", "MainPID", "--value", "carrotd")).StdOut.Trim();
            async Task WaitForLogAsync(string text)
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                string log;
                while (!(log = (await Inside("cat", "/run/carrotd.log")).StdOut).Contains(text, StringComparison.Ordinal))
                {
                    Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no '{text}' in carrotd's output:\n{log}");
                    await Task.Delay(100);
                }
            }

            // A fresh database, so its mode shows what the unit's UMask gives. Type=notify: systemctl start
            // returns once carrotd sent READY=1.
            foreach (var file in Directory.EnumerateFiles(StateFolder, "carrot.db*"))
            {
                File.Delete(file);
            }

            var stopwatch = Stopwatch.StartNew();
            var start = await Inside("systemctl", "start", "carrotd");
            TestContext.Out.WriteLine($"systemctl start carrotd (until READY=1): {stopwatch.ElapsedMilliseconds} ms");
            Assert.That(start.ExitCode, Is.EqualTo(0), start.Output + (await Inside("systemctl", "status", "--no-pager", "carrotd")).Output);
            var firstPid = await MainPidAsync();
            Assert.That((await Inside("stat", "-c", "%U", $"/proc/{firstPid}")).StdOut.Trim(), Is.EqualTo("carrot"));
            await WaitForLogAsync("Consuming carrot.default");
            Assert.That(await StatAsync($"{StateFolder}/carrot.db"), Is.EqualTo("carrot:carrot 640"), "StateDirectory and UMask=0027");
            // The enqueue hand-off under the hardened unit: the socket beside the database, writable as the database is.
            await WaitForLogAsync($"Taking enqueues from local carrot calls on {StateFolder}/carrot.db.sock");
            Assert.That(await StatAsync($"{StateFolder}/carrot.db.sock"), Is.EqualTo("carrot:carrot 600"));

            // systemctl reload: the new task assembly is picked up without a restart.
            var config = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(ConfigFile))!;
            config["taskAssemblies"] = new System.Text.Json.Nodes.JsonArray(tasks);
            await File.WriteAllTextAsync(ConfigFile, config.ToJsonString());
            var reload = await Inside("systemctl", "reload", "carrotd");
            Assert.That(reload.ExitCode, Is.EqualTo(0), reload.Output);
            await WaitForLogAsync("+ MyLib.Jobs.Bark");
            Assert.That(await MainPidAsync(), Is.EqualTo(firstPid), "a reload is not a restart");
            var run = await RunAsCarrotAsync(ServiceEnvironment(brokerUri), "/usr/bin/carrot", "enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--wait");
            Assert.That(run.StdOut.Trim(), Is.EqualTo("\"Rex: Woof!\""), run.Output);

            // Restart=on-failure: a crash is followed by a new carrotd (RestartSec=5).
            await Inside("kill", "-KILL", firstPid);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await MainPidAsync() is var pid && (pid == "0" || pid == firstPid) || (await Inside("systemctl", "is-active", "carrotd")).StdOut.Trim() != "active")
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "systemd did not restart carrotd after it was killed");
                await Task.Delay(200);
            }

            var stop = await Inside("systemctl", "stop", "carrotd");
            Assert.That(stop.ExitCode, Is.EqualTo(0), stop.Output);
            Assert.That((await Inside("systemctl", "is-active", "carrotd")).StdOut.Trim(), Is.EqualTo("inactive"));
            await WaitForLogAsync("stopped");
        }
        finally
        {
            await RunAsync("bash", sandbox, "stop", systemd);
            Directory.Delete(units, recursive: true);
        }
    }

    [Test]
    [Order(5)]
    public async Task InstalledCompletion_CompletesCommands()
    {
        var completion = await RunAsync("bash", "-c",
            "source /usr/share/bash-completion/completions/carrot; COMP_WORDS=(carrot wo); COMP_CWORD=1; _carrot; echo \"${COMPREPLY[*]}\"");

        Assert.That(completion.StdOut.Trim(), Is.EqualTo("workers"), completion.Output);
    }

    [Test]
    [Order(6)]
    public async Task Remove_KeepsTheData_AndPurge_RemovesDataConfigurationAndUser()
    {
        var remove = await RunAsync("dpkg", "-r", "carrot");
        Assert.That(remove.ExitCode, Is.EqualTo(0), remove.Output);
        Assert.Multiple(async () =>
        {
            Assert.That(File.Exists("/usr/bin/carrot"), Is.False);
            Assert.That(File.Exists($"{StateFolder}/carrot.db"), Is.True, "remove keeps the database");
            Assert.That(File.Exists(ConfigFile), Is.True, "remove keeps the conffile");
            Assert.That((await RunAsync("getent", "passwd", "carrot")).ExitCode, Is.Zero);
        });

        var purge = await RunAsync("dpkg", "-P", "carrot");
        Assert.That(purge.ExitCode, Is.EqualTo(0), purge.Output);
        Assert.Multiple(async () =>
        {
            Assert.That(Directory.Exists(StateFolder), Is.False, "purge removes the data");
            Assert.That(Directory.Exists("/etc/carrot"), Is.False, "purge removes the configuration");
            Assert.That((await RunAsync("getent", "passwd", "carrot")).ExitCode, Is.Not.Zero, "purge removes the user");
            Assert.That((await RunAsync("getent", "group", "carrot")).ExitCode, Is.Not.Zero, "purge removes the group");
        });
    }

    private static async Task<string> FindOrBuildAsync()
    {
        var given = Environment.GetEnvironmentVariable("CARROT_TEST_DEB");
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"CARROT_TEST_DEB={given} does not exist.");
        }

        var build = await ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "packaging", "build-deb.sh")], timeout: BuildTimeout);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        var built = Path.Combine(RepositoryPaths.Root, build.StdOut.Trim().Split('\n')[^1].Split(' ')[0]);
        TestContext.Out.WriteLine($"built {build.StdOut.Trim()}");
        return built;
    }

    /// <summary>What systemd gives the service, plus the test broker; nothing of the test's own CARROT_* settings.</summary>
    private static Dictionary<string, string?> ServiceEnvironment(string brokerUri) => new()
    {
        ["CARROT_BROKER"] = brokerUri,
        ["CARROT_CONFIG"] = null,
        ["CARROT_DATABASE"] = null,
        ["CARROT_TASK_ASSEMBLIES"] = null,
        ["CARROT_TEST_BIN"] = null,
        ["HOME"] = StateFolder,
    };

    private static Task<ProcessResult> RunAsCarrotAsync(Dictionary<string, string?> environment, params string[] command)
    {
        var env = new Dictionary<string, string?>(environment) { ["NOTIFY_SOCKET"] = null };
        return ProcessRunner.RunAsync("/usr/bin/setpriv", ["--reuid=carrot", "--regid=carrot", "--init-groups", "--", .. command], env, TimeSpan.FromSeconds(60));
    }

    private static Task<ProcessResult> RunAsync(string command, params string[] args) =>
        ProcessRunner.RunAsync(command, args, new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" }, TimeSpan.FromMinutes(3));

    private static async Task<string> StatAsync(string path) => (await RunAsync("stat", "-c", "%U:%G %a", path)).StdOut.Trim();

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+) \w+")]
    private static partial Regex ExposureLevel();
}
