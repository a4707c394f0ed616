using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Logging;

/// <summary>
/// The lines one attempt wrote, kept until its outcome is stored. Bounded by <see cref="TaskLogLimits"/>, so a
/// chatty task cannot exhaust the daemon's memory: each line is cut at the longest line (also while a console
/// line is still being written), the first lines up to the most lines are kept, and later ones are only counted.
/// </summary>
internal sealed class TaskLogBuffer(TimeProvider clock, TaskLogLimits limits)
{
    private readonly Lock _gate = new();
    private readonly List<TaskLogEntry> _lines = [];
    private readonly Dictionary<TaskLogLevel, PartialLine> _partialLines = [];
    private long _dropped;

    public TaskLogBuffer(TimeProvider clock)
        : this(clock, TaskLogLimits.Default)
    {
    }

    /// <summary>Console text: whole lines become entries; a trailing partial line waits for its newline (or the snapshot).</summary>
    public void AppendText(TaskLogLevel level, ReadOnlySpan<char> text)
    {
        lock (_gate)
        {
            if (!_partialLines.TryGetValue(level, out var line))
            {
                _partialLines[level] = line = new PartialLine(limits.MaxLineChars);
            }

            for (var newline = text.IndexOf('\n'); newline >= 0; newline = text.IndexOf('\n'))
            {
                line.Append(text[..newline]);
                AddLocked(level, line.Take(endOfLine: true));
                text = text[(newline + 1)..];
            }

            line.Append(text);
        }
    }

    public void Add(TaskLogLevel level, string message)
    {
        var line = TextLimit.Truncate(message, limits.MaxLineChars);
        lock (_gate)
        {
            AddLocked(level, line);
        }
    }

    public IReadOnlyList<TaskLogEntry> Snapshot()
    {
        lock (_gate)
        {
            foreach (var (level, line) in _partialLines.Where(p => !p.Value.IsEmpty))
            {
                AddLocked(level, line.Take(endOfLine: false));
            }

            var lines = new List<TaskLogEntry>(_lines);
            if (_dropped > 0)
            {
                lines.Add(new TaskLogEntry(clock.GetUtcNow(), TaskLogLevel.Warning,
                    $"{_dropped:N0} more line(s) were dropped: an attempt keeps at most {limits.MaxLines:N0} lines (maxLogLinesPerAttempt)."));
            }

            return lines;
        }
    }

    private void AddLocked(TaskLogLevel level, string message)
    {
        if (_lines.Count < limits.MaxLines)
        {
            _lines.Add(new TaskLogEntry(clock.GetUtcNow(), level, message));
        }
        else
        {
            _dropped++;
        }
    }
}
