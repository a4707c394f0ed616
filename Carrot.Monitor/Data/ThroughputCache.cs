using Carrot.Storage.Monitoring;

namespace Carrot.Monitor.Data;

/// <summary>
/// The charts' finished buckets, kept for a few minutes: a bucket that has ended changes only when its tasks are
/// retried or deleted, while reading a day of them is a scan of every task finished that day (about a second at
/// 170,000 a day on the bench machine). The bucket under way is always read afresh, so the charts stay live.
/// </summary>
internal sealed class ThroughputCache(TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, (DateTimeOffset ReadAt, DateTimeOffset From, List<ThroughputBucket> Ended)> _ended = [];

    public async Task<IReadOnlyList<ThroughputBucket>> ReadAsync(MonitorStore store, DateTimeOffset since, TimeSpan bucket, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / (long)bucket.TotalMilliseconds * (long)bucket.TotalMilliseconds);
        var firstWanted = DateTimeOffset.FromUnixTimeMilliseconds(since.ToUnixTimeMilliseconds() / (long)bucket.TotalMilliseconds * (long)bucket.TotalMilliseconds);
        List<ThroughputBucket>? ended = null;
        lock (_gate)
        {
            if (_ended.TryGetValue(bucket, out var cached) && now - cached.ReadAt < KeepFor && cached.From <= firstWanted
                && cached.Ended.Count > 0 && cached.Ended[^1].Start + bucket == current)
            {
                ended = cached.Ended.Where(b => b.Start >= firstWanted).ToList();
            }
        }

        if (ended is null)
        {
            var all = await store.ThroughputAsync(since, bucket, cancellationToken);
            ended = all.Where(b => b.Start < current).ToList();
            lock (_gate)
            {
                _ended[bucket] = (now, firstWanted, ended);
            }

            return all;
        }

        return [.. ended, .. await store.ThroughputAsync(current, bucket, cancellationToken)];
    }
}
