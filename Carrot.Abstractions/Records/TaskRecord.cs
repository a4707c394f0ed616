using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>One task as the database records it. JSON values (args, kwargs, result) are kept as JSON text.</summary>
public sealed record TaskRecord
{
    public required long Id { get; init; }
    public required string Kallable { get; init; }
    public required string Args { get; init; }
    public required string Kwargs { get; init; }
    public required string Worker { get; init; }
    public required TaskState State { get; init; }
    public int Priority { get; init; }
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }

    /// <summary>The task's own retry limit (--max-retries); null when the attribute or the configured default applies.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The task's own timeout (--timeout); null when the attribute or the configured default applies.</summary>
    public TimeSpan? Timeout { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a scheduled task (delayed, or waiting out a retry's backoff) becomes due.</summary>
    public DateTimeOffset? RunAt { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>The recurring schedule that enqueued this task, if any.</summary>
    public long? ScheduleId { get; init; }

    /// <summary>The host and process that ran the last attempt, as <c>host:pid</c>.</summary>
    public string? Node { get; init; }

    public string? Result { get; init; }
    public string? ErrorType { get; init; }
    public string? ErrorMessage { get; init; }
    public string? StackTrace { get; init; }

    /// <summary>The idempotency key the task was enqueued with; null when none (or once a newer task took it over).</summary>
    public string? Key { get; init; }
}
