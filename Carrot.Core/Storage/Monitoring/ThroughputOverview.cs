namespace Carrot.Storage.Monitoring;

/// <summary>The overview's two charts (per minute over the last hour, per hour over the last day) and each worker's last hour.</summary>
internal sealed record ThroughputOverview(
    IReadOnlyList<ThroughputBucket> ByMinute, IReadOnlyList<ThroughputBucket> ByHour, IReadOnlyDictionary<string, WorkerOutcomes> LastHour);
