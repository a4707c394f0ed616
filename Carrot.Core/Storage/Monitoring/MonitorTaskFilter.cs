using Carrot.Tasks;

namespace Carrot.Storage.Monitoring;

/// <summary>What the monitor's task list narrows to; every field null means all tasks.</summary>
internal sealed record MonitorTaskFilter
{
    public TaskState? State { get; init; }

    public string? Worker { get; init; }

    /// <summary>Kallables that start with this text (<c>MyLib.Jobs.</c>).</summary>
    public string? KallablePrefix { get; init; }

    public long? ScheduleId { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created before.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Text found (case-insensitive for ASCII) in args, kwargs, the error type or the error message.</summary>
    public string? Search { get; init; }
}
