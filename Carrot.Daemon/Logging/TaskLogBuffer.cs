using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Logging;

/// <summary>
/// The lines one attempt wrote, kept until they are stored. Bounded by <see cref="TaskLogLimits"/>, so a chatty task
/// cannot exhaust the daemon's memory: each line is cut at the longest line (also while a console line is still being
/// written), the first lines up to the most lines are kept, and later ones are only counted.
/// While the task runs, the live log writer (<see cref="LiveTaskLogWriter"/>) takes the whole lines written so far
/// (<see cref="TakeLive"/>) and stores them at once; the outcome stores what is left (<see cref="Snapshot"/>). Each line is
/// handed out once, to one of the two.
/// </summary>
internal sealed class TaskLogBuffer(TimeProvider clock, TaskLogLimits limits)
{
    private readonly Lock _gate = new();
    private readonly List<TaskLogEntry> _lines = [];
    private readonly Dictionary<TaskLogLevel, PartialLine> _partialLines = [];
    private long _dropped;
    private int _handedOut;
    private bool _closed;
    private LiveTaskIdentity? _identity;
    private bool _identityLooked;

    public TaskLogBuffer(TimeProvider clock)
        : this(clock, TaskLogLimits.Default)
    {
    }

    /// <summary>The task and attempt the lines belong to, once a line was written in the task's flow; null before.</summary>
    public LiveTaskIdentity? Identity
    {
        get
        {
            lock (_gate)
            {
                return _identity;
            }
        }
    }

    /// <summary>Whether the outcome took its snapshot: nothing more is stored live.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Console text: whole lines become entries; a trailing partial line waits for its newline (or the snapshot). A line
    /// goes with the span <paramref name="trace"/> names as its last text was written.
    /// </summary>
    public void AppendText(TaskLogLevel level, ReadOnlySpan<char> text, TaskLogTrace trace)
    {
        lock (_gate)
        {
            LearnIdentityLocked();
            if (!_partialLines.TryGetValue(level, out var line))
            {
                _partialLines[level] = line = new PartialLine(limits.MaxLineChars);
            }

            for (var newline = text.IndexOf('\n'); newline >= 0; newline = text.IndexOf('\n'))
            {
                line.Append(text[..newline], trace);
                AddLocked(level, line.Take(endOfLine: true), line.Trace);
                text = text[(newline + 1)..];
            }

            line.Append(text, trace);
        }
    }

    /// <summary>A whole line, written in the span <paramref name="trace"/> names (<see cref="TaskLogTrace.None"/> when none).</summary>
    public void Add(TaskLogLevel level, string message, TaskLogTrace trace)
    {
        var line = TextLimit.Truncate(message, limits.MaxLineChars);
        lock (_gate)
        {
            LearnIdentityLocked();
            AddLocked(level, line, trace);
        }
    }

    /// <summary>
    /// The whole lines not yet handed out, for the live writer; empty once the outcome took its snapshot. Lines it could
    /// not store go back with <see cref="GiveBack"/>.
    /// </summary>
    public IReadOnlyList<TaskLogEntry> TakeLive()
    {
        lock (_gate)
        {
            if (_closed || _lines.Count == 0)
            {
                return [];
            }

            var taken = _lines.ToList();
            _handedOut += taken.Count;
            _lines.Clear();
            return taken;
        }
    }

    /// <summary>Lines the live writer could not store: back in front, for the next write or the outcome. False when too late (the outcome was taken).</summary>
    public bool GiveBack(IReadOnlyList<TaskLogEntry> lines)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _lines.InsertRange(0, lines);
            _handedOut -= lines.Count;
            return true;
        }
    }

    /// <summary>What the outcome stores: every line not stored live yet, the partial lines, and how many were dropped. Closes the buffer for the live writer.</summary>
    public IReadOnlyList<TaskLogEntry> Snapshot()
    {
        lock (_gate)
        {
            foreach (var (level, line) in _partialLines.Where(p => !p.Value.IsEmpty))
            {
                AddLocked(level, line.Take(endOfLine: false), line.Trace);
            }

            var lines = new List<TaskLogEntry>(_lines);
            if (_dropped > 0)
            {
                lines.Add(new TaskLogEntry(clock.GetUtcNow(), TaskLogLevel.Warning,
                    $"{_dropped:N0} more line(s) were dropped: an attempt keeps at most {limits.MaxLines:N0} lines (maxLogLinesPerAttempt).", TaskLogTrace.None));
            }

            _closed = true;
            return lines;
        }
    }

    private void AddLocked(TaskLogLevel level, string message, TaskLogTrace trace)
    {
        if (_lines.Count + _handedOut < limits.MaxLines)
        {
            _lines.Add(new TaskLogEntry(clock.GetUtcNow(), level, message, trace));
        }
        else
        {
            _dropped++;
        }
    }

    // The first line written inside the task's own flow says whose lines these are (the executor pushes the task id and
    // attempt on Serilog's log context there); lines the executor adds from outside go with the outcome only.
    private void LearnIdentityLocked()
    {
        if (!_identityLooked)
        {
            _identity = LiveTaskIdentity.FromLogContext();
            _identityLooked = _identity is not null;
        }
    }
}
