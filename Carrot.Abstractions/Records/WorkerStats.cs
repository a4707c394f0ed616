using Carrot.Tasks;

namespace Carrot.Records;

/// <summary>Per-worker counts by state, and the broker's queue depth when it could be read.</summary>
public sealed record WorkerStats(string Worker, int Concurrency, IReadOnlyDictionary<TaskState, long> Counts, long? QueueDepth, bool Paused = false);
