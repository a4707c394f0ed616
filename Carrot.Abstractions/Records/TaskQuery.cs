using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>A filter for task listings, newest first.</summary>
public sealed record TaskQuery
{
    public TaskState? State { get; init; }
    public string? Worker { get; init; }
    public string? Kallable { get; init; }
    public long? ScheduleId { get; init; }
    public int Limit { get; init; } = 50;
}
