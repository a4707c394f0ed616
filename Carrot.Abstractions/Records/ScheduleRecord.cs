namespace Carrot.Records;

/// <summary>A recurring schedule: every occurrence of <see cref="Cron"/> (in <see cref="TimeZone"/>) or every <see cref="Every"/> enqueues one task.</summary>
public sealed record ScheduleRecord
{
    /// <summary>The schedule's id, which its tasks carry as <see cref="TaskRecord.ScheduleId"/>.</summary>
    public required long Id { get; init; }
    /// <summary>The schedule's unique name.</summary>
    public required string Name { get; init; }
    /// <summary>The method each occurrence enqueues.</summary>
    public required string Kallable { get; init; }
    /// <summary>The positional arguments of each task, a JSON array.</summary>
    public required string Args { get; init; }
    /// <summary>The arguments by name of each task, a JSON object.</summary>
    public required string Kwargs { get; init; }
    /// <summary>The worker each task goes to.</summary>
    public required string Worker { get; init; }
    /// <summary>Each task's priority, 0 to 9.</summary>
    public int Priority { get; init; }
    /// <summary>Each task's retry limit; null: the kallable's attribute or the configured default.</summary>
    public int? MaxRetries { get; init; }
    /// <summary>Each task's timeout; null: the kallable's attribute or the configured default.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>The cron expression, when the schedule runs by the calendar; null for an interval.</summary>
    public string? Cron { get; init; }

    /// <summary>IANA time zone of <see cref="Cron"/>; null means UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The interval, when the schedule runs every so often; null for a cron expression.</summary>
    public TimeSpan? Every { get; init; }
    /// <summary>A paused schedule enqueues nothing; resuming it skips what was missed.</summary>
    public bool Paused { get; init; }
    /// <summary>When the next occurrence is due.</summary>
    public required DateTimeOffset NextRunAt { get; init; }
    /// <summary>When the last occurrence enqueued its task; null if none has yet.</summary>
    public DateTimeOffset? LastRunAt { get; init; }
    /// <summary>The task the last occurrence enqueued.</summary>
    public long? LastTaskId { get; init; }
    /// <summary>When the schedule was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the schedule last changed (paused, resumed, fired).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
