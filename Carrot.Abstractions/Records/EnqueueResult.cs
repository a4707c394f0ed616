namespace Carrot.Records;

/// <summary>
/// The task is durably recorded either way. When <see cref="Published"/> is false the broker did not confirm
/// the message; a running daemon publishes the task later, so it is not lost.
/// </summary>
/// <param name="TaskId">The new task's id.</param>
/// <param name="Published">True when RabbitMQ confirmed the message.</param>
/// <param name="PublishError">Why it was not confirmed; null when it was.</param>
public sealed record EnqueueResult(long TaskId, bool Published, string? PublishError)
{
    /// <summary>Set when the task waits in the database until then (a delay or a start time); it is published when due.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>
    /// True when the request's key already named a task: <see cref="TaskId"/> is that first task, and nothing new was
    /// recorded or published (the first enqueue, or a daemon's relay, publishes it).
    /// </summary>
    public bool Duplicate { get; init; }

    /// <summary>
    /// True when the task was written in the caller's own database transaction: it exists only if that transaction
    /// commits, and a daemon's relay publishes it after the commit (within a few seconds).
    /// </summary>
    public bool InCallersTransaction { get; init; }

    /// <summary>Nothing left for the producer to worry about: published now, scheduled and published later by carrotd, a duplicate of a recorded task, or left to the relay after the caller's commit.</summary>
    public bool Dispatched => Published || ScheduledFor is not null || Duplicate || InCallersTransaction;
}
