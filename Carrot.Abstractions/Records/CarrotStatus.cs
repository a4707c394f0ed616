namespace Carrot.Records;

/// <summary>What <c>carrot status</c> shows: live daemons and, per worker, counts by state and queue depth.</summary>
/// <param name="Daemons">The daemons whose heartbeat is recent.</param>
/// <param name="Workers">Per worker: concurrency, counts by state, queue depth.</param>
/// <param name="BrokerError">Why the broker could not be asked for queue depths; null when it answered.</param>
public sealed record CarrotStatus(IReadOnlyList<DaemonRecord> Daemons, IReadOnlyList<WorkerStats> Workers, string? BrokerError);
