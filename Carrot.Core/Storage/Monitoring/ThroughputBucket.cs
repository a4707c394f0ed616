namespace Carrot.Storage.Monitoring;

/// <summary>How many tasks finished, succeeded or failed, in one span of time that starts at <paramref name="Start"/>.</summary>
internal sealed record ThroughputBucket(DateTimeOffset Start, long Succeeded, long Failed);
