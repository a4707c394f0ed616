namespace Carrot.Tasks;

/// <summary>The lower-case names stored in the database and printed by the CLI.</summary>
public static class TaskStateNames
{
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

    public static TaskState Parse(string name) =>
        TryParse(name, out var state) ? state : throw new FormatException($"'{name}' is not a task state.");

    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;
}
