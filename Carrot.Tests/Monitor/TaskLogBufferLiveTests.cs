using Carrot.Daemon.Logging;
using Carrot.Logging;
using Carrot.Storage;
using Carrot.Tests.Unit;
using Serilog.Context;

namespace Carrot.Tests.Monitor;

/// <summary>The buffer's two readers, the live writer and the outcome: every line goes to exactly one of them.</summary>
[TestFixture]
public sealed class TaskLogBufferLiveTests
{
    private readonly FakeClock _clock = new();

    [Test]
    public void TakeLive_HandsOutEachLineOnce_AndTheSnapshotKeepsOnlyTheRest()
    {
        var buffer = new TaskLogBuffer(_clock);
        buffer.Add(TaskLogLevel.Information, "one", TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Information, "two\nthr", TaskLogTrace.None);

        var live = buffer.TakeLive();
        var again = buffer.TakeLive();
        buffer.AppendText(TaskLogLevel.Information, "ee\n", TaskLogTrace.None);
        var snapshot = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(live.Select(l => l.Message), Is.EqualTo(new[] { "one", "two" }), "a partial line waits for its newline");
            Assert.That(again, Is.Empty);
            Assert.That(snapshot.Select(l => l.Message), Is.EqualTo(new[] { "three" }));
            Assert.That(buffer.TakeLive(), Is.Empty, "nothing is stored live once the outcome took its snapshot");
        });
    }

    [Test]
    public void GiveBack_PutsLinesBackInFront_UntilTheSnapshotIsTaken()
    {
        var buffer = new TaskLogBuffer(_clock);
        buffer.Add(TaskLogLevel.Information, "one", TaskLogTrace.None);
        var taken = buffer.TakeLive();
        buffer.Add(TaskLogLevel.Information, "two", TaskLogTrace.None);

        var givenBack = buffer.GiveBack(taken);
        var snapshot = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(givenBack, Is.True);
            Assert.That(snapshot.Select(l => l.Message), Is.EqualTo(new[] { "one", "two" }));
            Assert.That(buffer.GiveBack(taken), Is.False);
        });
    }

    [Test]
    public void TheLineCap_CountsLinesStoredLive()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 1000, MaxLines: 3));
        buffer.Add(TaskLogLevel.Information, "1", TaskLogTrace.None);
        buffer.Add(TaskLogLevel.Information, "2", TaskLogTrace.None);
        _ = buffer.TakeLive();
        buffer.Add(TaskLogLevel.Information, "3", TaskLogTrace.None);
        buffer.Add(TaskLogLevel.Information, "4", TaskLogTrace.None);

        var snapshot = buffer.Snapshot();

        Assert.That(snapshot.Select(l => l.Message), Is.EqualTo(new[] { "3", "1 more line(s) were dropped: an attempt keeps at most 3 lines (maxLogLinesPerAttempt)." }));
    }

    [Test]
    public void Identity_IsTheTaskAndAttemptOnTheLogContext_OfTheFirstLine()
    {
        var outside = new TaskLogBuffer(_clock);
        outside.Add(TaskLogLevel.Information, "from the executor", TaskLogTrace.None);

        var inside = new TaskLogBuffer(_clock);
        using (LogContext.PushProperty("TaskId", 42L))
        using (LogContext.PushProperty("Attempt", 2))
        {
            inside.Add(TaskLogLevel.Information, "from the task", TaskLogTrace.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(outside.Identity, Is.Null);
            Assert.That(inside.Identity, Is.EqualTo(new LiveTaskIdentity(42, 2)));
        });
    }
}
