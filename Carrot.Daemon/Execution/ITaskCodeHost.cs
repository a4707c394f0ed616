namespace Carrot.Daemon.Execution;

/// <summary>
/// Where a resolved and bound attempt's code runs: inside carrotd (<see cref="InProcessCodeHost"/>) or in a
/// carrot-runner process of the worker's pool (<c>Isolation.RunnerCodeHost</c>). The executor calls this one seam for
/// both; each host owns <see cref="AttemptRun.Catalog"/> from the call on and releases it once the code has stopped.
/// </summary>
internal interface ITaskCodeHost
{
    /// <summary>How the attempt ended; null when the daemon's shutdown interrupted it (it is handed back).</summary>
    Task<Lifecycle.AttemptEnd?> RunAsync(AttemptRun run);
}
