namespace Carrot.Tasks;

/// <summary>The lower-case names stored in the database and printed by the CLI.</summary>
public static class TaskStateNames
{
    /// <summary>The lower-case name of <paramref name="state"/>, as stored and printed: <c>queued</c>, <c>failed</c>, …</summary>
    public static string ToName(this TaskState state) => state switch
    {
        TaskState.Scheduled => "scheduled",
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Reads a state from its name, in any case; false when <paramref name="name"/> is not one.</summary>
    public static bool TryParse(string? name, out TaskState state)
    {
        foreach (var candidate in Enum.GetValues<TaskState>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>Reads a state from its name, in any case; throws <see cref="FormatException"/> when it is not one.</summary>
    public static TaskState Parse(string name) =>
        TryParse(name, out var state) ? state : throw new FormatException($"'{name}' is not a task state.");

    /// <summary>True for <see cref="TaskState.Succeeded"/>, <see cref="TaskState.Failed"/> and <see cref="TaskState.Cancelled"/>: the task will not change again (unless retried by hand).</summary>
    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;
}
