namespace Carrot.Records;

/// <summary>What a producer asks for. <see cref="Args"/> is a JSON array, <see cref="Kwargs"/> a JSON object.</summary>
public sealed record EnqueueRequest
{
    /// <summary>The method to run, as <c>Namespace.Type.Method</c> (nested types joined with <c>+</c>), e.g. <c>MyLib.Jobs.Bark</c>.</summary>
    public required string Kallable { get; init; }
    /// <summary>The positional arguments, a JSON array (<c>["Rex", 2]</c>); injected parameters (<c>CancellationToken</c>, <c>TaskContext</c>) are not counted.</summary>
    public string Args { get; init; } = "[]";
    /// <summary>Arguments by parameter name, a JSON object (<c>{"times": 2}</c>).</summary>
    public string Kwargs { get; init; } = "{}";
    /// <summary>The worker whose queue the task goes to; it must exist (<c>default</c> always does).</summary>
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

    /// <summary>
    /// A W3C <c>traceparent</c> the task's trace continues (a script's <c>TRACEPARENT</c>); null: the current
    /// <c>Activity</c>, if any.
    /// </summary>
    public string? TraceParent { get; init; }
}
