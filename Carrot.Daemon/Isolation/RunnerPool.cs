using System.Diagnostics;
using Carrot.Configuration;
using Carrot.Kallables;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// The runners of one process worker: started lazily, one per task running at once, so never more than the worker's
/// concurrency (a worker at concurrency 1,000 that runs 3 tasks has 3 runners). A runner goes back to the idle list
/// after its task unless it is due to be replaced: it died, ran its worker's max tasks, passed its worker's max
/// memory (each the worker's own, else the daemon's <c>runnerMaxTasks</c> / <c>runnerMaxMemoryMiB</c>), belongs to a
/// catalogue a reload replaced, or the worker's concurrency went down. An idle runner is taken most recently returned
/// first, so after a burst the extra ones stay idle and are stopped (<see cref="StopIdle"/>), all but the last.
/// </summary>
internal sealed class RunnerPool(string worker, string executable, CarrotOptions options, Serilog.ILogger logger, TimeProvider clock)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    // Oldest returned first: taken from the end, stopped from the start.
    private readonly List<(RunnerProcess Runner, long Since)> _idle = [];
    private readonly HashSet<RunnerProcess> _all = [];
    private bool _closed;

    /// <summary>An idle runner of <paramref name="catalog"/>, else a new one.</summary>
    public async Task<RunnerProcess> RentAsync(KallableCatalog catalog)
    {
        while (true)
        {
            RunnerProcess? idle;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                idle = null;
                if (_idle.Count > 0)
                {
                    idle = _idle[^1].Runner;
                    _idle.RemoveAt(_idle.Count - 1);
                }
            }

            if (idle is null)
            {
                break;
            }

            if (!idle.HasExited && ReferenceEquals(idle.Catalog, catalog))
            {
                return idle;
            }

            Retire(idle, idle.HasExited ? "it had exited" : "a reload replaced its task assemblies");
        }

        var started = Stopwatch.StartNew();
        var runner = await RunnerProcess.StartAsync(
            executable, catalog, options.MaxResultChars, [.. options.Otlp.Sources], new RunnerJournal(logger, worker, options.TaskLogToJournal, options.MaxLogLineChars), StartTimeout);
        bool closed;
        lock (_gate)
        {
            closed = _closed;
            if (!closed)
            {
                _all.Add(runner);
            }
        }

        if (closed)
        {
            runner.Kill();
            throw new ObjectDisposedException(nameof(RunnerPool));
        }

        logger.Debug("Runner {Pid} of worker {Worker} started in {Ms:0} ms", runner.Pid, worker, started.Elapsed.TotalMilliseconds);
        return runner;
    }

    /// <summary>After its task: back to the idle list, or replaced (finished its task first, as recycling promises).</summary>
    public void Return(RunnerProcess runner, KallableCatalog current, int concurrency, RunnerLimitsOf limits)
    {
        var why = WhyReplace(runner, current, concurrency, limits);
        if (why is not null)
        {
            Retire(runner, why);
            return;
        }

        lock (_gate)
        {
            if (!_closed)
            {
                _idle.Add((runner, clock.GetTimestamp()));
                return;
            }
        }

        Retire(runner, "its pool was closed (the worker left process isolation, or carrotd is stopping)");
    }

    /// <summary>A runner that was killed or died: out of the pool at once, so its slot takes the next task on a fresh one.</summary>
    public void Discard(RunnerProcess runner)
    {
        lock (_gate)
        {
            _all.Remove(runner);
        }

        runner.Kill();
        _ = runner.DisposeAsync().AsTask();
    }

    /// <summary>
    /// Ends the pool: idle runners exit; busy ones are killed too with <paramref name="killBusy"/> (at shutdown, after
    /// the running tasks had their grace), else each is retired when its task returns it.
    /// </summary>
    public async Task CloseAsync(bool killBusy)
    {
        List<RunnerProcess> ending;
        lock (_gate)
        {
            _closed = true;
            ending = killBusy ? [.. _all] : [.. _idle.Select(i => i.Runner)];
            _all.ExceptWith(ending);
            _idle.Clear();
        }

        if (killBusy)
        {
            foreach (var runner in ending)
            {
                runner.Kill();
            }
        }

        foreach (var runner in ending)
        {
            await runner.DisposeAsync();
        }
    }

    /// <summary>Stops the runners idle for <paramref name="idleFor"/> or longer, but never the pool's last runner.</summary>
    public void StopIdle(TimeSpan idleFor)
    {
        List<(RunnerProcess Runner, TimeSpan Idle)> stopping = [];
        lock (_gate)
        {
            while (_idle.Count > 0 && _all.Count - stopping.Count > 1 && clock.GetElapsedTime(_idle[0].Since) is var idle && idle >= idleFor)
            {
                stopping.Add((_idle[0].Runner, idle));
                _idle.RemoveAt(0);
            }
        }

        foreach (var (runner, idle) in stopping)
        {
            Retire(runner, $"idle for {idle.TotalSeconds:0.#} s (runnerIdleSeconds {options.RunnerIdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; the worker keeps its last runner)", "stopped");
        }
    }

    private string? WhyReplace(RunnerProcess runner, KallableCatalog current, int concurrency, RunnerLimitsOf limits)
    {
        if (runner.HasExited)
        {
            return "it had exited";
        }

        var maxTasks = limits.MaxTasks ?? options.RunnerMaxTasks;
        if (maxTasks > 0 && runner.TasksRun >= maxTasks)
        {
            var source = limits.MaxTasks is null ? $"runnerMaxTasks {maxTasks}" : $"the worker's --runner-max-tasks {maxTasks}";
            return $"it ran {runner.TasksRun} tasks ({source})";
        }

        var maxMemoryMiB = limits.MaxMemoryMiB ?? options.RunnerMaxMemoryMiB;
        if (maxMemoryMiB > 0 && runner.ResidentBytes() is { } rss && rss > maxMemoryMiB * 1024L * 1024)
        {
            var source = limits.MaxMemoryMiB is null ? $"runnerMaxMemoryMiB {maxMemoryMiB}" : $"the worker's --runner-max-memory {maxMemoryMiB}";
            return $"its memory reached {rss / (1024 * 1024)} MiB ({source})";
        }

        if (!ReferenceEquals(runner.Catalog, current))
        {
            return "a reload replaced its task assemblies";
        }

        lock (_gate)
        {
            return _all.Count > concurrency ? $"the worker's concurrency is now {concurrency}" : null;
        }
    }

    private void Retire(RunnerProcess runner, string why, string what = "replaced")
    {
        lock (_gate)
        {
            _all.Remove(runner);
        }

        logger.Information("Runner {Pid} of worker {Worker} {What}: {Why}", runner.Pid, worker, what, why);
        _ = runner.DisposeAsync().AsTask();
    }
}
