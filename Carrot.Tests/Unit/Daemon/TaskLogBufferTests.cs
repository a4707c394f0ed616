using Carrot.Daemon.Logging;
using Carrot.Logging;
using Carrot.Storage;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Daemon;

[TestFixture]
public sealed class TaskLogBufferTests
{
    private readonly FakeClock _clock = new();

    [Test]
    public void Snapshot_ReturnsLines_InTheOrderTheyWereAdded()
    {
        var buffer = new TaskLogBuffer(_clock);
        buffer.Add(TaskLogLevel.Information, "one", TaskLogTrace.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        buffer.Add(TaskLogLevel.Error, "two", TaskLogTrace.None);

        var lines = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message), Is.EqualTo((string[])["one", "two"]));
            Assert.That(lines.Select(l => l.Level), Is.EqualTo((TaskLogLevel[])[TaskLogLevel.Information, TaskLogLevel.Error]));
            Assert.That(lines[1].At - lines[0].At, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void Snapshot_IsEmpty_WhenNothingWasWritten()
    {
        Assert.That(new TaskLogBuffer(_clock).Snapshot(), Is.Empty);
    }

    [Test]
    public void Add_DropsLinesPastTheCap_AndSnapshotSaysHowMany()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 1000, MaxLines: 3));
        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(TaskLogLevel.Information, $"line {i}", TaskLogTrace.None);
        }

        var lines = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message).Take(3), Is.EqualTo((string[])["line 1", "line 2", "line 3"]));
            Assert.That(lines, Has.Count.EqualTo(4));
            Assert.That(lines[3].Level, Is.EqualTo(TaskLogLevel.Warning));
            Assert.That(lines[3].Message, Is.EqualTo("2 more line(s) were dropped: an attempt keeps at most 3 lines (maxLogLinesPerAttempt)."));
        });
    }

    [Test]
    public void Add_KeepsFiveThousandLines_ByDefault()
    {
        var buffer = new TaskLogBuffer(_clock);
        for (var i = 0; i < 5001; i++)
        {
            buffer.Add(TaskLogLevel.Debug, "x", TaskLogTrace.None);
        }

        var lines = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(5001));
            Assert.That(lines[^1].Message, Does.StartWith("1 more line(s) were dropped"));
        });
    }

    [Test]
    public void AppendText_SplitsOnNewlines_AndDropsCarriageReturns()
    {
        var buffer = new TaskLogBuffer(_clock);

        buffer.AppendText(TaskLogLevel.Information, "first\nsecond\r\n\nthird\n", TaskLogTrace.None);

        Assert.That(buffer.Snapshot().Select(l => l.Message), Is.EqualTo((string[])["first", "second", "", "third"]));
    }

    [Test]
    public void AppendText_JoinsALineWrittenInPieces()
    {
        var buffer = new TaskLogBuffer(_clock);

        buffer.AppendText(TaskLogLevel.Information, "proc", TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Information, "essing 50", TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Information, "%\nnext", TaskLogTrace.None);

        Assert.That(buffer.Snapshot().Select(l => l.Message), Is.EqualTo((string[])["processing 50%", "next"]));
    }

    [Test]
    public void Snapshot_FlushesAPartialLine_Once()
    {
        var buffer = new TaskLogBuffer(_clock);
        buffer.AppendText(TaskLogLevel.Information, "no newline yet", TaskLogTrace.None);

        var first = buffer.Snapshot();
        var second = buffer.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(l => l.Message), Is.EqualTo((string[])["no newline yet"]));
            Assert.That(second.Select(l => l.Message), Is.EqualTo((string[])["no newline yet"]));
        });
    }

    [Test]
    public void AppendText_KeepsPartialLines_ApartPerLevel()
    {
        // stdout and stderr interleave; neither may break the other's half-written line.
        var buffer = new TaskLogBuffer(_clock);

        buffer.AppendText(TaskLogLevel.Information, "out-", TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Error, "err\n", TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Information, "put\n", TaskLogTrace.None);

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message), Is.EqualTo((string[])["err", "out-put"]));
            Assert.That(lines.Select(l => l.Level), Is.EqualTo((TaskLogLevel[])[TaskLogLevel.Error, TaskLogLevel.Information]));
        });
    }

    [Test]
    public void AppendText_CountsTowardsTheCap()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 1000, MaxLines: 2));

        buffer.AppendText(TaskLogLevel.Information, "a\nb\nc\nd", TaskLogTrace.None);

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message).Take(2), Is.EqualTo((string[])["a", "b"]));
            Assert.That(lines[^1].Message, Does.StartWith("2 more line(s) were dropped"));
        });
    }

    [Test]
    public void Add_IsSafe_FromManyThreads()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 1000, MaxLines: 10_000));

        Parallel.For(0, 8, thread =>
        {
            for (var i = 0; i < 500; i++)
            {
                buffer.Add(TaskLogLevel.Information, $"{thread}:{i}", TaskLogTrace.None);
                buffer.AppendText(TaskLogLevel.Debug, "x\n", TaskLogTrace.None);
            }
        });

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(8000));
            Assert.That(lines.Select(l => l.Message).Where(m => m != "x").Distinct().Count(), Is.EqualTo(4000));
        });
    }

    [Test]
    public void Add_CutsALineLongerThanTheLimit_AndSaysSo()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 300, MaxLines: 10));

        buffer.Add(TaskLogLevel.Error, new string('e', 1000), TaskLogTrace.None);

        var line = buffer.Snapshot().Single().Message;
        Assert.Multiple(() =>
        {
            Assert.That(line, Has.Length.LessThanOrEqualTo(300));
            Assert.That(line, Does.StartWith("eee").And.EndWith(" … [cut to 300 of 1,000 characters]"));
        });
    }

    [Test]
    public void AppendText_CutsALineAsItStreams_AndCountsItsWholeLength()
    {
        // 64 Mi characters in 8 Ki pieces without a newline, as a task writing a huge value to the console does.
        var buffer = new TaskLogBuffer(_clock);
        var piece = new string('x', 8 * 1024);
        for (var i = 0; i < 8 * 1024; i++)
        {
            buffer.AppendText(TaskLogLevel.Information, piece, TaskLogTrace.None);
        }

        buffer.AppendText(TaskLogLevel.Information, "\r\nafter\n", TaskLogTrace.None);

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message.Length), Is.EqualTo((int[])[16 * 1024, 5]));
            Assert.That(lines[0].Message, Does.EndWith(" … [cut to 16,384 of 67,108,864 characters]"), "the '\\r' of a cut line is not counted either");
            Assert.That(lines[1].Message, Is.EqualTo("after"));
        });
    }

    [Test]
    public void AppendText_KeepsAPartialLineUnderTheLimit_WholeUntilItsNewline()
    {
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 256, MaxLines: 10));

        buffer.AppendText(TaskLogLevel.Information, new string('a', 200), TaskLogTrace.None);
        buffer.AppendText(TaskLogLevel.Information, new string('b', 56) + "\r\n", TaskLogTrace.None);

        Assert.That(buffer.Snapshot().Single().Message, Is.EqualTo(new string('a', 200) + new string('b', 56)));
    }

    [Test]
    public void AppendText_MillionsOfLines_KeepsTheFirstOnes_AndCountsTheRest()
    {
        var buffer = new TaskLogBuffer(_clock);
        for (var i = 0; i < 1_000_000; i++)
        {
            buffer.AppendText(TaskLogLevel.Information, $"line {i}\n", TaskLogTrace.None);
        }

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(5001));
            Assert.That(lines[4999].Message, Is.EqualTo("line 4999"));
            Assert.That(lines[^1].Message, Is.EqualTo("995,000 more line(s) were dropped: an attempt keeps at most 5,000 lines (maxLogLinesPerAttempt)."));
        });
    }
}
