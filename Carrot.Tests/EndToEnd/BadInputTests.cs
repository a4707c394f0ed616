using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>Every bad input: one clear line on stderr, a usage exit code, nothing written, and the input echoed shortened.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BadInputTests
{
    private static readonly string Huge = new('a', 6000);

    private CarrotSandbox _sandbox = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _sandbox = await CarrotSandbox.CreateAsync();
        var migrate = await _sandbox.CarrotAsync("workers", "list");
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.Output);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _sandbox.DisposeAsync();

    [TestCase("not valid JSON", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"")]
    [TestCase("must be a JSON array", "enqueue", "MyLib.Jobs.Bark", "--args", "{\"name\": \"Rex\"}")]
    [TestCase("must be a JSON object", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--kwargs", "[1]")]
    [TestCase("There is no worker named 'nope'", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--worker", "nope")]
    [TestCase("Unknown kallable", "enqueue", "MyLib.Nope.Run")]
    [TestCase("has no public method named Howl", "enqueue", "MyLib.Jobs.Howl")]
    [TestCase("Ambiguous call", "enqueue", "MyLib.Probe.Echo", "--args", "[3]")]
    [TestCase("cannot take 1", "enqueue", "MyLib.Jobs.Bark", "--args", "[1]")]
    [TestCase("takes 2 argument(s), got 3", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\", 1, 2]")]
    [TestCase("no parameter named 'volume'", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--kwargs", "{\"volume\": 11}")]
    [TestCase("not a task", "enqueue", "System.IO.File.Delete", "--args", "[\"/etc/passwd\"]")]
    [TestCase("not a task", "enqueue", "System.Diagnostics.Process.Start", "--args", "[\"rm\", \"-rf\", \"/\"]")]
    [TestCase("Priority 10 is out of range", "enqueue", "MyLib.Jobs+Nested.Ping", "--priority", "10")]
    [TestCase("out of range", "workers", "add", "zero", "--concurrency", "0")]
    [TestCase("not a valid worker name", "workers", "add", "no spaces")]
    [TestCase("There is no worker named 'ghost'", "workers", "update", "ghost", "--concurrency", "2")]

    // Beyond what Carrot holds: durations, times and numbers (DurationLimits and the CLI's range checks).
    [TestCase("too long for --delay", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--delay", "3000000d")]
    [TestCase("too long for --timeout", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--timeout", "50d")]
    [TestCase("too long for --wait-timeout", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--wait", "--wait-timeout", "3000000d")]
    [TestCase("too long for --delay", "enqueue", "MyLib.Jobs.Bark", "--delay", "99999999999999999999999d")]
    [TestCase("too far away", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--at", "9999-12-31T00:00:00Z")]
    [TestCase("out of range for --priority", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--priority", "99999999999")]
    [TestCase("out of range for --max-retries", "enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--max-retries", "99999999999")]
    [TestCase("too long for --every", "schedules", "add", "s1", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--every", "3000000d")]
    [TestCase("too long for --timeout", "schedules", "add", "s2", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--cron", "* * * * *", "--timeout", "50d")]
    [TestCase("too long for --older-than", "tasks", "purge", "--older-than", "3000000d")]
    [TestCase("too long for --wait-timeout", "tasks", "cancel", "1", "--wait-timeout", "3000000d")]
    [TestCase("out of range for --limit", "tasks", "list", "--limit", "99999999999")]
    [TestCase("out of range for --limit", "tasks", "list", "--limit", "0")]
    [TestCase("is not a task id", "tasks", "retry", "99999999999999999999")]
    [TestCase("is not a task id", "tasks", "show", "99999999999999999999")]
    [TestCase("out of range for --concurrency", "workers", "add", "w1", "--concurrency", "99999999999")]
    [TestCase("not a whole number for --concurrency", "workers", "update", "default", "--concurrency", "lots")]

    // A call builds only the commands its arguments name; a parse error is reported from the whole tree, so the list
    // is complete even though "enqueue" (here the value of -c) named one.
    [TestCase("'carrot' needs a command: enqueue, workers, tasks, schedules, kallables, status, doctor, db, monitor.", "-c", "enqueue")]
    public async Task BadInput_IsRefusedWithOneLine_AndChangesNothing(string expected, params string[] args)
    {
        var before = await CountRowsAsync();

        var run = await _sandbox.CarrotAsync(args);

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.StdErr, Does.Contain(expected));
            Assert.That(run.StdErr, Does.Not.Contain("unexpected"));
            Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
            Assert.That(await CountRowsAsync(), Is.EqualTo(before));
        });
    }

    [TestCase("enqueue", "MyLib.Jobs." + "HUGE")]
    [TestCase("enqueue", "HUGE")]
    [TestCase("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--worker", "HUGE")]
    [TestCase("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--kwargs", "{\"HUGE\": 1}")]
    [TestCase("enqueue", "MyLib.Jobs.Bark", "--delay", "HUGE")]
    [TestCase("enqueue", "MyLib.Jobs.Bark", "--HUGE")]
    [TestCase("tasks", "show", "HUGE")]
    [TestCase("workers", "add", "HUGE")]
    [TestCase("schedules", "show", "HUGE")]
    [TestCase("schedules", "add", "s3", "MyLib.Jobs.Bark", "--cron", "HUGE")]
    [TestCase("schedules", "add", "s4", "MyLib.Jobs.Bark", "--cron", "* * * * *", "--tz", "HUGE")]
    public async Task HugeInput_IsEchoedShortened(params string[] args)
    {
        var run = await _sandbox.CarrotAsync(args.Select(a => a.Replace("HUGE", Huge, StringComparison.Ordinal)).ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output.Length > 2000 ? run.Output[..2000] : run.Output);
            Assert.That(run.StdErr.Length, Is.LessThan(700), "the error is short");
            Assert.That(run.StdErr, Does.Contain("(6,0"), "it says how long the input was");
        });
    }

    [Test]
    public async Task DeeplyNestedArgs_AreRefusedWithALimitError()
    {
        var nested = new string('[', 100) + new string(']', 100);

        var run = await _sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", nested);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StdErr, Does.Contain("nested deeper than 64"));
        Assert.That(await _sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task UnwritableDatabasePath_FailsWithOneLine()
    {
        await using var other = await CarrotSandbox.CreateAsync();
        other.WriteConfig(other.BrokerUri, new Dictionary<string, object> { ["database"] = "/proc/carrot-nope/carrot.db" });

        var run = await other.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
        Assert.That(run.StdErr, Does.Contain("/proc/carrot-nope"));
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
    }

    private async Task<(long Tasks, long Workers, long Schedules, string WorkerState)> CountRowsAsync() => (
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"),
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM workers"),
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM schedules"),
        await _sandbox.ScalarAsync<string>("SELECT group_concat(name || ':' || concurrency) FROM workers") ?? "");
}
