using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>One task as the database records it. JSON values (args, kwargs, result) are kept as JSON text.</summary>
public sealed record TaskRecord
{
    /// <summary>The task id that enqueue returned.</summary>
    public required long Id { get; init; }
    /// <summary>The method the task runs.</summary>
    public required string Kallable { get; init; }
    /// <summary>The positional arguments, a JSON array.</summary>
    public required string Args { get; init; }
    /// <summary>The arguments by name, a JSON object.</summary>
    public required string Kwargs { get; init; }
    /// <summary>The worker whose queue the task is in.</summary>
    public required string Worker { get; init; }
    /// <summary>Where the task is in its life.</summary>
    public required TaskState State { get; init; }
    /// <summary>0 (lowest) to 9: within a worker, higher runs first.</summary>
    public int Priority { get; init; }
    /// <summary>How many times the task was started; a crash or a rescue counts too.</summary>
    public int Attempts { get; init; }
    /// <summary>How many times the task may be started at most.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>The task's own retry limit (--max-retries); null when the attribute or the configured default applies.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The task's own timeout (--timeout); null when the attribute or the configured default applies.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When the task was enqueued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a scheduled task (delayed, or waiting out a retry's backoff) becomes due.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>When the task last became queued.</summary>
    public DateTimeOffset? QueuedAt { get; init; }
    /// <summary>When RabbitMQ confirmed the task's message; null while a daemon's relay still has to publish it.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When the task reached its terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>When a cancel was asked for.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>The recurring schedule that enqueued this task, if any.</summary>
    public long? ScheduleId { get; init; }

    /// <summary>The host and process that ran the last attempt, as <c>host:pid</c>.</summary>
    public string? Node { get; init; }

    /// <summary>What the method returned, as JSON; null for void, or until it succeeded.</summary>
    public string? Result { get; init; }
    /// <summary>The exception type of the last failure (or <c>Carrot.Timeout</c>, <c>Carrot.AttemptsExhausted</c>).</summary>
    public string? ErrorType { get; init; }
    /// <summary>The message of the last failure.</summary>
    public string? ErrorMessage { get; init; }
    /// <summary>The stack trace of the last failure.</summary>
    public string? StackTrace { get; init; }

    /// <summary>The idempotency key the task was enqueued with; null when none (or once a newer task took it over).</summary>
    public string? Key { get; init; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) the task's attempts continue: the producer's enqueue span, or the
    /// trace that was current when it was enqueued; null when there was none (a schedule's tasks start their own).
    /// </summary>
    public string? TraceParent { get; init; }
}
