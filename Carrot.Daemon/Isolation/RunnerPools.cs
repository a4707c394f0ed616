using System.Collections.Concurrent;
using Carrot.Configuration;

namespace Carrot.Daemon.Isolation;

/// <summary>One <see cref="RunnerPool"/> per process worker, made on its first task. Disposed with the host: every runner is killed.</summary>
internal sealed class RunnerPools(CarrotOptions options, Serilog.ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RunnerPool> _pools = new(StringComparer.Ordinal);

    /// <summary>The worker's pool; throws a configuration error when carrot-runner cannot be found.</summary>
    public RunnerPool For(string worker) =>
        _pools.GetOrAdd(worker, name => new RunnerPool(name, RunnerExecutable.Find(options), options, logger));

    /// <summary>
    /// The worker no longer runs in processes here (it was removed, or switched to in-process): its runners go, the
    /// busy ones after their task.
    /// </summary>
    public void Release(string worker)
    {
        if (_pools.TryRemove(worker, out var pool))
        {
            logger.Information("The runners of worker {Worker} stop: it no longer runs in processes here (busy ones after their task)", worker);
            _ = pool.CloseAsync(killBusy: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            await pool.CloseAsync(killBusy: true);
        }
    }
}
