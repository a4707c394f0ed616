using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Logging;

/// <summary>The lines one attempt wrote, kept until its outcome is stored. Bounded, so a chatty task cannot exhaust memory.</summary>
internal sealed class TaskLogBuffer(TimeProvider clock, int maxLines = 5000)
{
    private readonly Lock _gate = new();
    private readonly List<TaskLogEntry> _lines = [];
    private readonly Dictionary<TaskLogLevel, System.Text.StringBuilder> _partialLines = [];
    private int _dropped;

    /// <summary>Console text: whole lines become entries; a trailing partial line waits for its newline (or the snapshot).</summary>
    public void AppendText(TaskLogLevel level, string text)
    {
        lock (_gate)
        {
            if (!_partialLines.TryGetValue(level, out var line))
            {
                _partialLines[level] = line = new System.Text.StringBuilder();
            }

            foreach (var c in text)
            {
                if (c == '\n')
                {
                    AddLocked(level, line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(c);
                }
            }
        }
    }

    public void Add(TaskLogLevel level, string message)
    {
        lock (_gate)
        {
            AddLocked(level, message);
        }
    }

    public IReadOnlyList<TaskLogEntry> Snapshot()
    {
        lock (_gate)
        {
            foreach (var (level, line) in _partialLines.Where(p => p.Value.Length > 0))
            {
                AddLocked(level, line.ToString());
                line.Clear();
            }

            var lines = new List<TaskLogEntry>(_lines);
            if (_dropped > 0)
            {
                lines.Add(new TaskLogEntry(clock.GetUtcNow(), TaskLogLevel.Warning, $"{_dropped} more line(s) were dropped: a task keeps at most {maxLines} lines per attempt."));
            }

            return lines;
        }
    }

    private void AddLocked(TaskLogLevel level, string message)
    {
        if (_lines.Count < maxLines)
        {
            _lines.Add(new TaskLogEntry(clock.GetUtcNow(), level, message));
        }
        else
        {
            _dropped++;
        }
    }
}
