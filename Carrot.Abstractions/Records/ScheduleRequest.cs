namespace Carrot.Records;

/// <summary>What <c>carrot schedules add</c> asks for. Exactly one of <see cref="Cron"/> and <see cref="Every"/>.</summary>
public sealed record ScheduleRequest
{
    /// <summary>The schedule's unique name: 1-64 letters, digits, '-', '_' or '.'.</summary>
    public required string Name { get; init; }
    /// <summary>The method each occurrence enqueues, checked like a task's.</summary>
    public required string Kallable { get; init; }
    /// <summary>The positional arguments of each task, a JSON array.</summary>
    public string Args { get; init; } = "[]";
    /// <summary>The arguments by name of each task, a JSON object.</summary>
    public string Kwargs { get; init; } = "{}";
    /// <summary>The worker each task goes to.</summary>
    public string Worker { get; init; } = WorkerRecord.DefaultName;
    /// <summary>Each task's priority, 0 (lowest) to 9.</summary>
    public int Priority { get; init; }
    /// <summary>Each task's retry limit; null: the kallable's attribute or the configured default.</summary>
    public int? MaxRetries { get; init; }
    /// <summary>Each task's timeout; null: the kallable's attribute or the configured default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A cron expression: 5 fields (minute precision) or 6 (seconds first).</summary>
    public string? Cron { get; init; }

    /// <summary>IANA time zone for <see cref="Cron"/>, e.g. Europe/Paris; null means UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Run every this long, instead of by <see cref="Cron"/>.</summary>
    public TimeSpan? Every { get; init; }
}
