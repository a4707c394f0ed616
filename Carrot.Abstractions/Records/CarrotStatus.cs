namespace Carrot.Records;

/// <summary>What <c>carrot status</c> shows: live daemons and, per worker, counts by state and queue depth.</summary>
public sealed record CarrotStatus(IReadOnlyList<DaemonRecord> Daemons, IReadOnlyList<WorkerStats> Workers, string? BrokerError);
