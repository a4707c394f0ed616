using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// Durations, times and numbers beyond what Carrot holds: one line naming the limit, exit 2, nothing written; and
/// input echoed back shortened, however long it was.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class InputLimitTests
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
    public async Task OutOfRange_IsRefusedWithOneLine_ExitTwo_AndNothingWritten(string expected, params string[] args)
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

    private async Task<(long Tasks, long Workers, long Schedules)> CountRowsAsync() => (
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"),
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM workers"),
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM schedules"));
}
