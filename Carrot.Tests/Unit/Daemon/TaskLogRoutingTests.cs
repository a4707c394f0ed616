using Carrot.Daemon.Logging;
using Carrot.Logging;
using Serilog.Core;

namespace Carrot.Tests.Unit.Daemon;

/// <summary>
/// Where a line ends up: console text and log events from inside a task's flow go to that task's buffer, and to
/// carrotd's own output (the journal) only when taskLogToJournal asks; everything else goes to carrotd's output.
/// </summary>
[TestFixture]
public sealed class TaskLogRoutingTests
{
    private readonly FakeClock _clock = new();

    [TestCase(false, TestName = "TaskLogLines_AreStored_AndStayOutOfTheJournal_ByDefault")]
    [TestCase(true, TestName = "TaskLogLines_AreStored_AndCopiedToTheJournal_WithTaskLogToJournal")]
    public async Task TaskLogLines_AreStored_AndReachTheJournalOnlyWhenAskedFor(bool taskLogToJournal)
    {
        var (output, logger, capture) = Create(taskLogToJournal);
        var buffer = new TaskLogBuffer(_clock);

        await Task.Run(() =>
        {
            capture.Enter(buffer);
            new TaskLog(logger).Log(TaskLogLevel.Warning, "from the task");
        });
        logger.Information("from the daemon");

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Snapshot().Select(l => (l.Level, l.Message)), Is.EqualTo(new[] { (TaskLogLevel.Warning, "from the task") }));
            Assert.That(output.ToString(), Does.Contain("from the daemon"));
            Assert.That(output.ToString().Contains("from the task", StringComparison.Ordinal), Is.EqualTo(taskLogToJournal));
        });
    }

    [Test]
    public async Task ConsoleWriter_SendsATasksTextToItsBuffer_CutAsItStreams_AndOtherTextThrough()
    {
        var capture = new TaskLogCapture();
        var inner = new StringWriter();
        var console = new TaskConsoleWriter(inner, capture, TaskLogLevel.Error);
        var buffer = new TaskLogBuffer(_clock, new TaskLogLimits(MaxLineChars: 256, MaxLines: 10));
        var chunk = new char[1000];
        Array.Fill(chunk, 'z');

        await Task.Run(() =>
        {
            capture.Enter(buffer);
            console.Write(chunk, 0, chunk.Length);
            console.Write(chunk.AsSpan());
            console.WriteLine("!");
            console.Write('c');
            console.WriteLine();
        });
        console.WriteLine("daemon text");

        var lines = buffer.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Level), Is.All.EqualTo(TaskLogLevel.Error));
            Assert.That(lines.Select(l => l.Message).Last(), Is.EqualTo("c"));
            Assert.That(lines[0].Message, Does.StartWith("zzz").And.EndWith("[cut to 256 of 2,001 characters]"));
            Assert.That(inner.ToString(), Is.EqualTo("daemon text\n"));
        });
    }

    private static (StringWriter Output, Serilog.ILogger Logger, TaskLogCapture Capture) Create(bool includeTaskLines)
    {
        var capture = new TaskLogCapture();
        var output = new StringWriter();
        var logger = DaemonLogging.Create(output, capture, new LoggingLevelSwitch(), new JournalFilter(capture) { IncludeTaskLines = includeTaskLines });
        return (output, logger, capture);
    }
}
