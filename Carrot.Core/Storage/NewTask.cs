namespace Carrot.Storage;

/// <summary>A validated request, ready to insert. A <see cref="RunAt"/> in the future makes it scheduled rather than queued.</summary>
internal sealed record NewTask(string Kallable, string Args, string Kwargs, string Worker, int Priority, int MaxAttempts)
{
    public int? MaxRetries { get; init; }
    public long? TimeoutMs { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public long? ScheduleId { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>The W3C trace context the task's attempts continue; null starts none.</summary>
    public string? TraceParent { get; init; }
}
