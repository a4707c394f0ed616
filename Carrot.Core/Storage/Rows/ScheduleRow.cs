using Carrot.Records;

namespace Carrot.Storage.Rows;

internal sealed class ScheduleRow
{
    public const string Columns = """
        id AS Id, name AS Name, kallable AS Kallable, args AS Args, kwargs AS Kwargs, worker AS Worker, priority AS Priority,
        max_retries AS MaxRetries, timeout_ms AS TimeoutMs, cron AS Cron, time_zone AS TimeZone, every_ms AS EveryMs,
        paused AS Paused, next_run_at AS NextRunAt, last_run_at AS LastRunAt, last_task_id AS LastTaskId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Kallable { get; set; } = "";
    public string Args { get; set; } = "[]";
    public string Kwargs { get; set; } = "{}";
    public string Worker { get; set; } = "";
    public long Priority { get; set; }
    public long? MaxRetries { get; set; }
    public long? TimeoutMs { get; set; }
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }
    public long? EveryMs { get; set; }
    public long Paused { get; set; }
    public long NextRunAt { get; set; }
    public long? LastRunAt { get; set; }
    public long? LastTaskId { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public ScheduleRecord ToRecord() => new()
    {
        Id = Id,
        Name = Name,
        Kallable = Kallable,
        Args = Args,
        Kwargs = Kwargs,
        Worker = Worker,
        Priority = (int)Priority,
        MaxRetries = (int?)MaxRetries,
        Timeout = TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Cron = Cron,
        TimeZone = TimeZone,
        Every = EveryMs is { } every ? TimeSpan.FromMilliseconds(every) : null,
        Paused = Paused != 0,
        NextRunAt = UnixTime.FromMs(NextRunAt),
        LastRunAt = UnixTime.FromMs(LastRunAt),
        LastTaskId = LastTaskId,
        CreatedAt = UnixTime.FromMs(CreatedAt),
        UpdatedAt = UnixTime.FromMs(UpdatedAt),
    };
}
