using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>A task whose exception text is huge: stored cut (saying so), logged shortened, never held whole four times.</summary>
[TestFixture]
[Category("Faults")]
public sealed class ErrorSizeFaultTests : SandboxTest
{
    [Test]
    public async Task ASixteenMebibyteExceptionMessage_IsStoredCutToTheLimit_InTheTaskAndItsAttempt()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var queued = await client.EnqueueAsync(new Records.EnqueueRequest { Kallable = "MyLib.Probe.ThrowHuge", Args = "[16777216]", MaxRetries = 0 });

        var failed = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(60));
        var attempt = (await client.GetTaskAttemptsAsync(queued.TaskId)).Single();

        Assert.Multiple(async () =>
        {
            Assert.That(failed.State, Is.EqualTo(TaskState.Failed));
            Assert.That(failed.ErrorMessage!.Length, Is.EqualTo(64 * 1024));
            Assert.That(failed.ErrorMessage, Does.EndWith("[cut to 65,536 of 16,777,216 characters]"));
            Assert.That(failed.StackTrace!.Length, Is.EqualTo(64 * 1024));
            Assert.That(attempt.ErrorMessage, Is.EqualTo(failed.ErrorMessage));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT max(length(error_message) + length(stack_trace)) FROM task_attempts"), Is.EqualTo(128 * 1024));
            Assert.That(daemon.Output.Split('\n').Max(l => l.Length), Is.LessThan(4096), "carrotd's own log line is shortened");
        });
    }
}
