namespace Carrot.Storage.Monitoring;

/// <summary>Lines a running attempt wrote since the last live write.</summary>
internal sealed record LiveLogBatch(long TaskId, int Attempt, IReadOnlyList<TaskLogEntry> Lines);
