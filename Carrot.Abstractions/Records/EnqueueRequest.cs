namespace Carrot.Records;

/// <summary>What a producer asks for. <see cref="Args"/> is a JSON array, <see cref="Kwargs"/> a JSON object.</summary>
public sealed record EnqueueRequest
{
    public required string Kallable { get; init; }
    public string Args { get; init; } = "[]";
    public string Kwargs { get; init; } = "{}";
    public string Worker { get; init; } = WorkerRecord.DefaultName;

    /// <summary>0 (lowest, the default) to 9: within a worker, higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>How many times a failed attempt is retried; null: the kallable's attribute or the configured default.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>How long an attempt may run before its cancellation token fires; null: the attribute or the configured default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Run no earlier than this; null runs now. Mutually exclusive with <see cref="Delay"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Run no earlier than this long from now; null runs now.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>
    /// An idempotency key (1-200 characters): while a task with this key is unfinished, or within the configured
    /// window after it finished, enqueueing again returns that task (<see cref="EnqueueResult.Duplicate"/>) instead
    /// of recording a new one. Null: no key.
    /// </summary>
    public string? Key { get; init; }
}
