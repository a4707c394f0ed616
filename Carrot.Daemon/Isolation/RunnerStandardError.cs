namespace Carrot.Daemon.Isolation;

/// <summary>
/// A runner's real stderr, where only the runtime writes: every line goes to the journal (<see cref="RunnerJournal"/>),
/// and the first 5 and last 15 are kept to quote in the error of a task whose runner died — what the runtime writes
/// when it dies starts with the reason ("Stack overflow.") and ends with the stack, so both ends matter.
/// </summary>
internal sealed class RunnerStandardError(RunnerJournal journal)
{
    private const int Head = 5;
    private const int Tail = 15;
    private const int MaxLineChars = 500;

    private readonly List<string> _head = [];
    private readonly Queue<string> _tail = new();
    private int _skipped;

    /// <summary>A line as written (from the process's stderr reader, or carrotd's own note about the runner).</summary>
    public void Keep(int pid, string? line)
    {
        if (line is null)
        {
            return;
        }

        var kept = line.Length > MaxLineChars ? line[..MaxLineChars] + " …" : line;
        journal.StandardError(pid, kept);
        lock (_head)
        {
            if (_head.Count < Head)
            {
                _head.Add(kept);
                return;
            }

            _tail.Enqueue(kept);
            if (_tail.Count > Tail)
            {
                _tail.Dequeue();
                _skipped++;
            }
        }
    }

    /// <summary>The kept lines, with a note of how many were skipped between the two ends.</summary>
    public string Text()
    {
        lock (_head)
        {
            var skipped = _skipped > 0 ? new[] { $"… ({_skipped} more lines)" } : [];
            return string.Join('\n', _head.Concat(skipped).Concat(_tail));
        }
    }
}
