namespace Carrot.Records;

/// <summary>How one attempt of a task ended; the task keeps one of these per attempt, not only the last error.</summary>
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
