namespace Carrot.Records;

/// <summary>A recurring schedule: every occurrence of <see cref="Cron"/> (in <see cref="TimeZone"/>) or every <see cref="Every"/> enqueues one task.</summary>
public sealed record ScheduleRecord
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required string Kallable { get; init; }
    public required string Args { get; init; }
    public required string Kwargs { get; init; }
    public required string Worker { get; init; }
    public int Priority { get; init; }
    public int? MaxRetries { get; init; }
    public TimeSpan? Timeout { get; init; }
    public string? Cron { get; init; }

    /// <summary>IANA time zone of <see cref="Cron"/>; null means UTC.</summary>
    public string? TimeZone { get; init; }

    public TimeSpan? Every { get; init; }
    public bool Paused { get; init; }
    public required DateTimeOffset NextRunAt { get; init; }
    public DateTimeOffset? LastRunAt { get; init; }
    public long? LastTaskId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
