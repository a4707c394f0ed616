using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>A filter for task listings, newest first.</summary>
public sealed record TaskQuery
{
    /// <summary>Only tasks in this state; null: any.</summary>
    public TaskState? State { get; init; }
    /// <summary>Only tasks of this worker; null: any.</summary>
    public string? Worker { get; init; }
    /// <summary>Only tasks of this kallable; null: any.</summary>
    public string? Kallable { get; init; }
    /// <summary>Only tasks that this schedule enqueued; null: any.</summary>
    public long? ScheduleId { get; init; }
    /// <summary>At most this many tasks, newest first.</summary>
    public int Limit { get; init; } = 50;
}
