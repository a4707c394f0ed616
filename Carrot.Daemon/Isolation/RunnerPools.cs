using System.Collections.Concurrent;
using Carrot.Configuration;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// One <see cref="RunnerPool"/> per process worker, made on its first task, and a timer that stops runners idle past
/// <c>runnerIdleSeconds</c> (each pool keeps its last one). Disposed with the host: every runner is killed.
/// </summary>
internal sealed class RunnerPools : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RunnerPool> _pools = new(StringComparer.Ordinal);
    private readonly CarrotOptions _options;
    private readonly Serilog.ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly ITimer? _idleCheck;

    public RunnerPools(CarrotOptions options, Serilog.ILogger logger, TimeProvider clock)
    {
        (_options, _logger, _clock) = (options, logger, clock);
        if (options.RunnerIdleSeconds > 0)
        {
            // Often enough that a runner goes within about half its idle time past it; at most every 10 s.
            var every = TimeSpan.FromSeconds(Math.Clamp(options.RunnerIdleSeconds / 2, 0.25, 10));
            _idleCheck = clock.CreateTimer(_ => StopIdle(), null, every, every);
        }
    }

    /// <summary>The worker's pool; throws a configuration error when carrot-runner cannot be found.</summary>
    public RunnerPool For(string worker) =>
        _pools.GetOrAdd(worker, name => new RunnerPool(name, RunnerExecutable.Find(_options), _options, _logger, _clock));

    /// <summary>
    /// The worker no longer runs in processes here (it was removed, or switched to in-process): its runners go, the
    /// busy ones after their task.
    /// </summary>
    public void Release(string worker)
    {
        if (_pools.TryRemove(worker, out var pool))
        {
            _logger.Information("The runners of worker {Worker} stop: it no longer runs in processes here (busy ones after their task)", worker);
            _ = pool.CloseAsync(killBusy: false);
        }
    }

    private void StopIdle()
    {
        var idleFor = TimeSpan.FromSeconds(_options.RunnerIdleSeconds);
        foreach (var pool in _pools.Values)
        {
            pool.StopIdle(idleFor);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_idleCheck is not null)
        {
            await _idleCheck.DisposeAsync();
        }

        foreach (var pool in _pools.Values)
        {
            await pool.CloseAsync(killBusy: true);
        }
    }
}
