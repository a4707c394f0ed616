namespace Carrot.Records;

/// <summary>
/// The task is durably recorded either way. When <see cref="Published"/> is false the broker did not confirm
/// the message; a running daemon publishes the task later, so it is not lost.
/// </summary>
public sealed record EnqueueResult(long TaskId, bool Published, string? PublishError)
{
    /// <summary>Set when the task waits in the database until then (a delay or a start time); it is published when due.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>Nothing left for the producer to worry about: published now, or scheduled and published later by carrotd.</summary>
    public bool Dispatched => Published || ScheduledFor is not null;
}
