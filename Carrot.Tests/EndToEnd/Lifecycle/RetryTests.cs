using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd.Lifecycle;

/// <summary>Retries with backoff, their limits, and manual retry, through the real daemon, RabbitMQ and SQLite.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class RetryTests : SandboxTest
{
    [SetUp]
    public void ShortBackoff() => Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
    {
        ["retryBaseDelaySeconds"] = 0.4,
        ["retryMaxDelaySeconds"] = 5,
        ["maxAttempts"] = 4,
    });

    [Test]
    public async Task FailingTask_IsRetriedWithGrowingBackoff_AndEveryErrorIsKept()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var queued = await client.EnqueueAsync("MyLib.Flaky.SucceedOnAttempt", [3]);
        var task = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));
        var attempts = await client.GetTaskAttemptsAsync(queued.TaskId);

        Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), task.ErrorMessage);
        Assert.That(task.Result, Is.EqualTo("3"));
        Assert.That(attempts.Select(a => (a.Attempt, a.Status)), Is.EqualTo(new[] { (1, "failed"), (2, "failed"), (3, "succeeded") }));
        Assert.That(attempts[0].ErrorMessage, Does.Contain("Attempt 1 fails"));
        Assert.That(attempts[1].ErrorMessage, Does.Contain("Attempt 2 fails"));

        // Equal jitter: the n-th wait is between half and all of base × 2^(n-1).
        var firstWait = attempts[1].StartedAt!.Value - attempts[0].FinishedAt;
        var secondWait = attempts[2].StartedAt!.Value - attempts[1].FinishedAt;
        Assert.That(firstWait.TotalSeconds, Is.InRange(0.2, 0.4 + 1.5), "first retry ≈ 0.2–0.4 s (+ pickup)");
        Assert.That(secondWait.TotalSeconds, Is.InRange(0.4, 0.8 + 1.5), "second retry ≈ 0.4–0.8 s (+ pickup)");
    }

    [Test]
    public async Task DoNotRetryException_TheAttribute_AndMaxRetriesZero_EachStopAfterOneAttempt()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var rejected = await client.EnqueueAsync("MyLib.Flaky.Reject", ["bad input"]);
        var byAttribute = await client.EnqueueAsync("MyLib.Flaky.FailOnce");
        var byOption = await Sandbox.CarrotAsync("enqueue", "MyLib.Flaky.SucceedOnAttempt", "--args", "[2]", "--max-retries", "0", "--wait", "--wait-timeout", "20s");

        foreach (var id in new[] { rejected.TaskId, byAttribute.TaskId, 3 })
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));
            Assert.That(task.State, Is.EqualTo(TaskState.Failed), $"task {id}");
            Assert.That(task.Attempts, Is.EqualTo(1), $"task {id}");
        }

        Assert.That((await client.GetTaskAsync(rejected.TaskId))!.MaxAttempts, Is.EqualTo(4), "retries were left, the exception declined them");
        Assert.That((await client.GetTaskAsync(byAttribute.TaskId))!.MaxAttempts, Is.EqualTo(1), "the limit shows what applied");

        Assert.That(byOption.ExitCode, Is.EqualTo(1), byOption.Output);
        Assert.That(byOption.StdErr, Does.Contain("failed after 1 attempt(s)"));
        Assert.That((await client.GetTaskAsync(rejected.TaskId))!.ErrorType, Is.EqualTo("Carrot.Tasks.DoNotRetryException"));
    }

    [Test]
    public async Task ManualRetry_RunsAFailedTaskAgain_KeepingItsHistory_AndRetryFailedDoesItInBulk()
    {
        await Sandbox.CarrotAsync("workers", "add", "files");
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var single = await Sandbox.CarrotAsync("enqueue", "MyLib.Flaky.SucceedOnAttempt", "--args", "[2]", "--max-retries", "0", "--wait");
        var bulk = new[]
        {
            await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Flaky.SucceedOnAttempt", Args = "[2]", Worker = "files", MaxRetries = 0 }),
            await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Flaky.SucceedOnAttempt", Args = "[2]", Worker = "files", MaxRetries = 0 }),
        };
        foreach (var queued in bulk)
        {
            Assert.That((await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(20))).State, Is.EqualTo(TaskState.Failed));
        }

        Assert.That(single.ExitCode, Is.EqualTo(1));

        var retry = await Sandbox.CarrotAsync("tasks", "retry", "1");
        var retryBulk = await Sandbox.CarrotAsync("tasks", "retry", "--failed", "--worker", "files");
        var notFailed = await Sandbox.CarrotAsync("tasks", "retry", "1");

        Assert.That(retry.ExitCode, Is.EqualTo(0), retry.Output);
        Assert.That(retryBulk.StdOut, Does.Contain("2 failed task(s) queued again"));
        foreach (var id in new long[] { 1, bulk[0].TaskId, bulk[1].TaskId })
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));
            Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), $"task {id}: {task.ErrorMessage}");
            Assert.That(task.Result, Is.EqualTo("2"), "the second attempt, so the history goes on");
            var attempts = await client.GetTaskAttemptsAsync(id);
            Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { "failed", "succeeded" }));
        }

        Assert.That(notFailed.ExitCode, Is.EqualTo(2), "a succeeded task is not retried: " + notFailed.Output);
        Assert.That(notFailed.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
