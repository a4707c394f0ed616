using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>Every bad input: one clear line on stderr, a usage exit code, and nothing written.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BadInputTests
{
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
    public async Task BadInput_IsRefusedWithOneLine_AndChangesNothing(string expected, params string[] args)
    {
        var before = await CountRowsAsync();

        var run = await _sandbox.CarrotAsync(args);

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.StdErr, Does.Contain(expected));
            Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
            Assert.That(await CountRowsAsync(), Is.EqualTo(before));
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

    private async Task<(long Tasks, long Workers, string WorkerState)> CountRowsAsync() => (
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"),
        await _sandbox.ScalarAsync<long>("SELECT count(*) FROM workers"),
        await _sandbox.ScalarAsync<string>("SELECT group_concat(name || ':' || concurrency) FROM workers") ?? "");
}
