using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>The CLI with a worker that is gone: it says so, exits 2 where it refuses, and leaves nothing that cannot run.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class MissingWorkerTests : SandboxTest
{
    [Test]
    public async Task RemovingAWorkerThatASchedulesNames_IsRefused_AndAScheduleWhoseWorkerVanished_SaysWhy()
    {
        Assert.That((await Sandbox.CarrotAsync("workers", "add", "files")).ExitCode, Is.EqualTo(0));
        var add = await Sandbox.CarrotAsync("schedules", "add", "nightly", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--worker", "files", "--every", "1h");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);

        var remove = await Sandbox.CarrotAsync("workers", "remove", "files");
        await Sandbox.ExecuteAsync("DELETE FROM workers WHERE name = 'files'");
        var list = await Sandbox.CarrotAsync("schedules", "list");
        var runNow = await Sandbox.CarrotAsync("schedules", "run-now", "nightly");

        Assert.Multiple(async () =>
        {
            Assert.That(remove.ExitCode, Is.EqualTo(2), remove.Output);
            Assert.That(remove.StdErr, Does.Contain("schedule(s) (nightly)"));
            Assert.That(list.StdOut, Does.Contain("no longer exists"));
            Assert.That(runNow.ExitCode, Is.EqualTo(2), runNow.Output);
            Assert.That(runNow.StdErr, Does.Contain("worker 'files', which no longer exists"));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
        });
    }

    [Test]
    public async Task RetryingATaskOfARemovedWorker_ExitsTwo_AndSaysWhy()
    {
        Assert.That((await Sandbox.CarrotAsync("workers", "add", "files")).ExitCode, Is.EqualTo(0));
        var enqueue = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--worker", "files", "--delay", "1h");
        var id = enqueue.StdOut.Trim();
        await Sandbox.ExecuteAsync($"UPDATE tasks SET status = 'failed', finished_at = 1 WHERE id = {id}");
        Assert.That((await Sandbox.CarrotAsync("workers", "remove", "files")).ExitCode, Is.EqualTo(0));

        var retry = await Sandbox.CarrotAsync("tasks", "retry", id);
        var retryAll = await Sandbox.CarrotAsync("tasks", "retry", "--failed");

        Assert.That(retry.ExitCode, Is.EqualTo(2), retry.Output);
        Assert.That(retry.StdErr, Does.Contain("no longer exists"));
        Assert.That(retryAll.ExitCode, Is.EqualTo(0), retryAll.Output);
        Assert.That(retryAll.StdErr, Does.Contain("1 failed task(s) were left failed"));
        Assert.That(await Sandbox.ScalarAsync<string>($"SELECT status FROM tasks WHERE id = {id}"), Is.EqualTo("failed"));
    }
}
