using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Storage.Rows;

/// <summary>A tasks row as SQLite returns it; converted to <see cref="TaskRecord"/> at the store's edge.</summary>
internal sealed class TaskRow
{
    public const string Columns = """
        id AS Id, kallable AS Kallable, args AS Args, kwargs AS Kwargs, worker AS Worker, status AS Status,
        priority AS Priority, attempts AS Attempts, max_attempts AS MaxAttempts, max_retries AS MaxRetries,
        timeout_ms AS TimeoutMs, created_at AS CreatedAt, run_at AS RunAt,
        queued_at AS QueuedAt, published_at AS PublishedAt, started_at AS StartedAt, finished_at AS FinishedAt,
        cancel_requested_at AS CancelRequestedAt, schedule_id AS ScheduleId,
        node AS Node, result AS Result, error_type AS ErrorType, error_message AS ErrorMessage, stack_trace AS StackTrace,
        idempotency_key AS IdempotencyKey, traceparent AS TraceParent
        """;

    public long Id { get; set; }
    public string Kallable { get; set; } = "";
    public string Args { get; set; } = "[]";
    public string Kwargs { get; set; } = "{}";
    public string Worker { get; set; } = "";
    public string Status { get; set; } = "";
    public long Priority { get; set; }
    public long Attempts { get; set; }
    public long MaxAttempts { get; set; }
    public long? MaxRetries { get; set; }
    public long? TimeoutMs { get; set; }
    public long CreatedAt { get; set; }
    public long? RunAt { get; set; }
    public long? QueuedAt { get; set; }
    public long? PublishedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public long? CancelRequestedAt { get; set; }
    public long? ScheduleId { get; set; }
    public string? Node { get; set; }
    public string? Result { get; set; }
    public string? ErrorType { get; set; }
    public string? ErrorMessage { get; set; }
    public string? StackTrace { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? TraceParent { get; set; }

    public TaskRecord ToRecord() => new()
    {
        Id = Id,
        Kallable = Kallable,
        Args = Args,
        Kwargs = Kwargs,
        Worker = Worker,
        State = TaskStateNames.Parse(Status),
        Priority = (int)Priority,
        Attempts = (int)Attempts,
        MaxAttempts = (int)MaxAttempts,
        MaxRetries = (int?)MaxRetries,
        Timeout = TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        CreatedAt = UnixTime.FromMs(CreatedAt),
        RunAt = UnixTime.FromMs(RunAt),
        QueuedAt = UnixTime.FromMs(QueuedAt),
        PublishedAt = UnixTime.FromMs(PublishedAt),
        StartedAt = UnixTime.FromMs(StartedAt),
        FinishedAt = UnixTime.FromMs(FinishedAt),
        CancelRequestedAt = UnixTime.FromMs(CancelRequestedAt),
        ScheduleId = ScheduleId,
        Node = Node,
        Result = Result,
        ErrorType = ErrorType,
        ErrorMessage = ErrorMessage,
        StackTrace = StackTrace,
        Key = IdempotencyKey,
        TraceParent = TraceParent,
    };
}
