namespace Carrot.Records;

/// <summary>Where a worker's task code runs.</summary>
public enum WorkerIsolation
{
    /// <summary>Inside carrotd, on its thread pool: the fastest, but a task that crashes or never returns affects the daemon.</summary>
    InProcess,

    /// <summary>In carrot-runner processes that carrotd keeps for the worker: a crash, a hard stop or a leak ends only that runner.</summary>
    Process,
}
