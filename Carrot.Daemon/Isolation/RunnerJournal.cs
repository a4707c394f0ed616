using Carrot.Daemon.Logging;
using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// What carrotd's own log (the journal) shows of one runner. With <c>taskLogToJournal</c>, the lines its task writes
/// (TaskContext.Log, ILogger, the console), as an in-process task's lines reach it: the same template, with the task's
/// TaskId, Attempt and kallable as context. Always, the runner's own stderr, where only the runtime writes (the reason
/// and stack of a crash): each line a warning with the runner's pid, the first <see cref="MaxStandardErrorLines"/> of them.
/// Task lines come from the runner's reader loop only (one thread), so the partial console lines need no lock.
/// </summary>
internal sealed class RunnerJournal(Serilog.ILogger logger, string worker, bool taskLines, int maxLineChars)
{
    public const int MaxStandardErrorLines = 200;

    private readonly Dictionary<TaskLogLevel, PartialLine> _partialLines = [];
    private int _standardErrorLines;

    /// <summary>One whole line the task logged.</summary>
    public void Line(ClaimedTask claim, int pid, TaskLogLevel level, string? text)
    {
        if (taskLines)
        {
            Write(claim, pid, level, TextLimit.Truncate(text ?? "", maxLineChars));
        }
    }

    /// <summary>Console text as written: each line once its newline comes (the rest at <see cref="EndTask"/>).</summary>
    public void Text(ClaimedTask claim, int pid, TaskLogLevel level, string? text)
    {
        if (!taskLines || string.IsNullOrEmpty(text))
        {
            return;
        }

        if (!_partialLines.TryGetValue(level, out var line))
        {
            _partialLines[level] = line = new PartialLine(maxLineChars);
        }

        var rest = text.AsSpan();
        for (var newline = rest.IndexOf('\n'); newline >= 0; newline = rest.IndexOf('\n'))
        {
            line.Append(rest[..newline], TaskLogTrace.None);
            Write(claim, pid, level, line.Take(endOfLine: true));
            rest = rest[(newline + 1)..];
        }

        line.Append(rest, TaskLogTrace.None);
    }

    /// <summary>The task is over: console text without a final newline is a line of its own.</summary>
    public void EndTask(ClaimedTask claim, int pid)
    {
        foreach (var (level, line) in _partialLines)
        {
            if (!line.IsEmpty)
            {
                Write(claim, pid, level, line.Take(endOfLine: false));
            }
        }
    }

    /// <summary>A line the runner wrote on its real stderr (called from the process's stderr reader).</summary>
    public void StandardError(int pid, string line)
    {
        var count = Interlocked.Increment(ref _standardErrorLines);
        if (count <= MaxStandardErrorLines)
        {
            logger.Warning("Runner {Pid} of worker {Worker} on stderr: {Line:l}", pid, worker, line);
        }
        else if (count == MaxStandardErrorLines + 1)
        {
            logger.Warning("Runner {Pid} of worker {Worker} wrote more than {Lines} lines on stderr; the rest is not logged (the task's error keeps the last ones)", pid, worker, MaxStandardErrorLines);
        }
    }

    // As TaskContext.Log writes in-process (one mapping of levels, one template), with the task as context.
    private void Write(ClaimedTask claim, int pid, TaskLogLevel level, string message) =>
        new TaskLog(logger.ForContext("TaskId", claim.Id).ForContext("Attempt", claim.Attempt).ForContext("SourceContext", claim.Kallable).ForContext("RunnerPid", pid))
            .Log(level, message);
}
