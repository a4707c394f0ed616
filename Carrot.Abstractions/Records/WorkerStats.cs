using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>Per-worker counts by state, and the broker's queue depth when it could be read.</summary>
/// <param name="Worker">The worker's name.</param>
/// <param name="Concurrency">Its concurrency; 0 for a removed worker that still has tasks.</param>
/// <param name="Counts">How many of its tasks are in each state.</param>
/// <param name="QueueDepth">Messages waiting in its queue; null when the broker could not be asked.</param>
/// <param name="Paused">Whether it is paused.</param>
public sealed record WorkerStats(string Worker, int Concurrency, IReadOnlyDictionary<TaskState, long> Counts, long? QueueDepth, bool Paused = false)
{
    /// <summary>Where its task code runs.</summary>
    public Records.WorkerIsolation Isolation { get; init; }

    /// <summary>Its own runner task limit (see <see cref="WorkerRecord.RunnerMaxTasks"/>); null: the daemon's default.</summary>
    public int? RunnerMaxTasks { get; init; }

    /// <summary>Its own runner memory limit in MiB (see <see cref="WorkerRecord.RunnerMaxMemoryMiB"/>); null: the daemon's default.</summary>
    public int? RunnerMaxMemoryMiB { get; init; }
}
