using System.Collections.Concurrent;
using Carrot.Records;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// Each worker's isolation, concurrency and runner limits as this daemon last read them from the workers table (the supervisor
/// applies every poll, as it does concurrency). A task asks at its start, so a change applies to the tasks that start
/// after it; running ones finish where they are.
/// </summary>
internal sealed class WorkerIsolations
{
    private readonly ConcurrentDictionary<string, WorkerRecord> _workers = new(StringComparer.Ordinal);

    /// <summary>Records the worker as read; the previous isolation when it changed, else null.</summary>
    public WorkerIsolation? Apply(WorkerRecord worker)
    {
        var previous = _workers.TryGetValue(worker.Name, out var known) ? known.Isolation : (WorkerIsolation?)null;
        _workers[worker.Name] = worker;
        return previous is { } before && before != worker.Isolation ? before : null;
    }

    /// <summary>Whether <paramref name="worker"/>'s runner limits differ from what was last read (false for a worker not seen yet).</summary>
    public bool LimitsChange(WorkerRecord worker) =>
        _workers.TryGetValue(worker.Name, out var known) && (known.RunnerMaxTasks != worker.RunnerMaxTasks || known.RunnerMaxMemoryMiB != worker.RunnerMaxMemoryMiB);

    public void Forget(string worker) => _workers.TryRemove(worker, out _);

    public WorkerIsolation For(string worker) => _workers.TryGetValue(worker, out var known) ? known.Isolation : WorkerIsolation.InProcess;

    /// <summary>The worker's own runner recycle limits (null for each the daemon's default).</summary>
    public RunnerLimitsOf LimitsOf(string worker) =>
        _workers.TryGetValue(worker, out var known) ? new RunnerLimitsOf(known.RunnerMaxTasks, known.RunnerMaxMemoryMiB) : RunnerLimitsOf.DaemonDefaults;

    /// <summary>The most runners a process worker's pool keeps: its concurrency (at least 1).</summary>
    public int ConcurrencyOf(string worker) => _workers.TryGetValue(worker, out var known) ? Math.Max(1, known.Concurrency) : 1;
}
