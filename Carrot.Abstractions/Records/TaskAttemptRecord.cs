namespace Carrot.Records;

/// <summary>How one attempt of a task ended; the task keeps one of these per attempt, not only the last error.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="Node">The host and process that ran it, as <c>host:pid</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Status">How it ended: <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, or <c>lost</c> when its daemon died.</param>
/// <param name="ErrorType">The exception type, when it failed.</param>
/// <param name="ErrorMessage">The exception message, when it failed.</param>
/// <param name="StackTrace">The stack trace, when it failed.</param>
public sealed record TaskAttemptRecord(
    long TaskId,
    int Attempt,
    string? Node,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    string Status,
    string? ErrorType,
    string? ErrorMessage,
    string? StackTrace);
