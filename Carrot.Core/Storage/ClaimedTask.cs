namespace Carrot.Storage;

/// <summary>A task this daemon now holds: the claim moved it to running, counted the attempt and took the lease.</summary>
internal sealed record ClaimedTask(long Id, string Kallable, string Args, string Kwargs, string Worker, int Attempt, int MaxAttempts, string LeaseOwner, bool RunAlone = false)
{
    /// <summary>The task's own retry limit; null lets the kallable's attribute or the configuration decide.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Attempts used before the last manual retry; the retry budget counts from there.</summary>
    public int AttemptBase { get; init; }

    /// <summary>The task's own timeout; null lets the kallable's attribute or the configuration decide.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The W3C trace context stored with the task; the attempt's process span is its child.</summary>
    public string? TraceParent { get; init; }

    /// <summary>How long the task waited between becoming queued and this claim.</summary>
    public TimeSpan QueueWait { get; init; }
}
