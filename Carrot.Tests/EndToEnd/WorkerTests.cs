using System.Diagnostics;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>Workers are rows: their concurrency bounds a running daemon, and changes reach it without a restart.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class WorkerTests
{
    private CarrotSandbox _sandbox = null!;

    [SetUp]
    public async Task SetUp() => _sandbox = await CarrotSandbox.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _sandbox.DisposeAsync();

    [TestCase(1, 1)]
    [TestCase(3, 3)]
    public async Task FileProcessor_RunsAtMostConcurrencyTasksAtOnce(int concurrency, int expectedOverlap)
    {
        var add = await _sandbox.CarrotAsync("workers", "add", "fileprocessor", "--concurrency", $"{concurrency}", "--description", "Large files");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        await _sandbox.StartDaemonAsync();
        var probe = Path.Combine(_sandbox.Folder, "probe.log");

        await EnqueueProbesAsync(3, probe, "fileprocessor", 1000);
        await WaitForAllAsync(3);

        var runs = ProbeLog.Read(probe);
        Assert.That(runs, Has.Count.EqualTo(3));
        Assert.That(ProbeLog.MaxOverlap(runs), Is.EqualTo(expectedOverlap));
    }

    [Test]
    public async Task WorkerAddedToARunningDaemon_IsConsumedWithinFiveSeconds()
    {
        var daemon = await _sandbox.StartDaemonAsync();
        var stopwatch = Stopwatch.StartNew();

        await _sandbox.CarrotAsync("workers", "add", "late", "--concurrency", "2");
        var run = await _sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping", "--worker", "late", "--wait", "--wait-timeout", "5s");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(daemon.Output, Does.Contain("Consuming carrot.late for worker late at concurrency 2"));
    }

    [Test]
    public async Task ConcurrencyRaisedOnARunningDaemon_LetsMoreTasksOverlap()
    {
        await _sandbox.CarrotAsync("workers", "add", "files", "--concurrency", "1");
        var daemon = await _sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.files", TimeSpan.FromSeconds(10));

        var update = await _sandbox.CarrotAsync("workers", "update", "files", "--concurrency", "4");
        Assert.That(update.ExitCode, Is.EqualTo(0), update.Output);
        await daemon.WaitForLogAsync("Worker files concurrency changed from 1 to 4", TimeSpan.FromSeconds(5));
        var probe = Path.Combine(_sandbox.Folder, "probe.log");
        await EnqueueProbesAsync(4, probe, "files", 1000);
        await WaitForAllAsync(4);

        Assert.That(ProbeLog.MaxOverlap(ProbeLog.Read(probe)), Is.EqualTo(4));
    }

    [Test]
    public async Task RemovedWorker_IsNoLongerConsumed_AndDefaultCannotBeRemoved()
    {
        await _sandbox.CarrotAsync("workers", "add", "gone", "--concurrency", "1");
        var daemon = await _sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.gone", TimeSpan.FromSeconds(10));

        var remove = await _sandbox.CarrotAsync("workers", "remove", "gone");
        var removeDefault = await _sandbox.CarrotAsync("workers", "remove", "default");

        Assert.That(remove.ExitCode, Is.EqualTo(0), remove.Output);
        await daemon.WaitForLogAsync("Worker gone was removed", TimeSpan.FromSeconds(5));
        Assert.That(removeDefault.ExitCode, Is.EqualTo(2));
        Assert.That(removeDefault.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    // Through the client, so the tasks arrive together rather than one CLI start-up apart.
    private async Task EnqueueProbesAsync(int count, string probe, string worker, int milliseconds)
    {
        await using var client = await _sandbox.CreateClientAsync();
        for (var i = 0; i < count; i++)
        {
            var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, milliseconds], worker: worker);
            Assert.That(queued.Published, Is.True, queued.PublishError);
        }
    }

    private async Task WaitForAllAsync(int count)
    {
        await using var client = await _sandbox.CreateClientAsync();
        for (var id = 1; id <= count; id++)
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), task.ErrorMessage);
        }
    }
}
