namespace Carrot.Records;

/// <summary>What <c>carrot schedules add</c> asks for. Exactly one of <see cref="Cron"/> and <see cref="Every"/>.</summary>
public sealed record ScheduleRequest
{
    public required string Name { get; init; }
    public required string Kallable { get; init; }
    public string Args { get; init; } = "[]";
    public string Kwargs { get; init; } = "{}";
    public string Worker { get; init; } = WorkerRecord.DefaultName;
    public int Priority { get; init; }
    public int? MaxRetries { get; init; }
    public TimeSpan? Timeout { get; init; }

    /// <summary>A cron expression: 5 fields (minute precision) or 6 (seconds first).</summary>
    public string? Cron { get; init; }

    /// <summary>IANA time zone for <see cref="Cron"/>, e.g. Europe/Paris; null means UTC.</summary>
    public string? TimeZone { get; init; }

    public TimeSpan? Every { get; init; }
}
