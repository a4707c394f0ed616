using System.Diagnostics;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>Workers are rows: their concurrency bounds a running daemon, and changes reach it without a restart.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class WorkerTests : SandboxTest
{
    [TestCase(1, 1)]
    [TestCase(3, 3)]
    public async Task FileProcessor_RunsAtMostConcurrencyTasksAtOnce(int concurrency, int expectedOverlap)
    {
        var add = await Sandbox.CarrotAsync("workers", "add", "fileprocessor", "--concurrency", $"{concurrency}", "--description", "Large files");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        await Sandbox.StartDaemonAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");

        await EnqueueProbesAsync(3, probe, "fileprocessor", 1000);
        await WaitForAllAsync(3);

        var runs = ProbeLog.Read(probe);
        Assert.That(runs, Has.Count.EqualTo(3));
        Assert.That(ProbeLog.MaxOverlap(runs), Is.EqualTo(expectedOverlap));
    }

    [Test]
    public async Task WorkerAddedToARunningDaemon_IsConsumedWithinFiveSeconds()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        var stopwatch = Stopwatch.StartNew();

        await Sandbox.CarrotAsync("workers", "add", "late", "--concurrency", "2");
        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping", "--worker", "late", "--wait", "--wait-timeout", "5s");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(daemon.Output, Does.Contain("Consuming carrot.late for worker late at concurrency 2"));
    }

    [Test]
    public async Task ConcurrencyRaisedOnARunningDaemon_LetsMoreTasksOverlap()
    {
        await Sandbox.CarrotAsync("workers", "add", "files", "--concurrency", "1");
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.files", TimeSpan.FromSeconds(10));

        var update = await Sandbox.CarrotAsync("workers", "update", "files", "--concurrency", "4");
        Assert.That(update.ExitCode, Is.EqualTo(0), update.Output);
        await daemon.WaitForLogAsync("Worker files concurrency changed from 1 to 4", TimeSpan.FromSeconds(5));
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        await EnqueueProbesAsync(4, probe, "files", 1000);
        await WaitForAllAsync(4);

        Assert.That(ProbeLog.MaxOverlap(ProbeLog.Read(probe)), Is.EqualTo(4));
    }

    [Test]
    public async Task RemovedWorker_IsNoLongerConsumed_AndDefaultCannotBeRemoved()
    {
        await Sandbox.CarrotAsync("workers", "add", "gone", "--concurrency", "1");
        var daemon = await Sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.gone", TimeSpan.FromSeconds(10));

        var remove = await Sandbox.CarrotAsync("workers", "remove", "gone");
        var removeDefault = await Sandbox.CarrotAsync("workers", "remove", "default");

        Assert.That(remove.ExitCode, Is.EqualTo(0), remove.Output);
        await daemon.WaitForLogAsync("Worker gone was removed", TimeSpan.FromSeconds(5));
        Assert.That(removeDefault.ExitCode, Is.EqualTo(2));
        Assert.That(removeDefault.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    // Through the client, so the tasks arrive together rather than one CLI start-up apart.
    private async Task EnqueueProbesAsync(int count, string probe, string worker, int milliseconds)
    {
        await using var client = await Sandbox.CreateClientAsync();
        for (var i = 0; i < count; i++)
        {
            var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, milliseconds], worker: worker);
            Assert.That(queued.Published, Is.True, queued.PublishError);
        }
    }

    private async Task WaitForAllAsync(int count)
    {
        await using var client = await Sandbox.CreateClientAsync();
        for (var id = 1; id <= count; id++)
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), task.ErrorMessage);
        }
    }
}
