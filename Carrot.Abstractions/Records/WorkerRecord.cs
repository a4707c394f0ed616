namespace Carrot.Records;

/// <summary>A named queue with its own concurrency. The <c>default</c> worker always exists. A paused worker starts nothing new.</summary>
/// <param name="Name">The worker's name; its queue is <c>carrot.NAME</c>.</param>
/// <param name="Concurrency">How many of its tasks run at once, per daemon.</param>
/// <param name="Description">What it is for.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Paused">A paused worker starts nothing new; its tasks wait in its queue.</param>
public sealed record WorkerRecord(string Name, int Concurrency, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Paused = false)
{
    /// <summary>The worker that always exists, and that a task goes to when it names none.</summary>
    public const string DefaultName = "default";

    /// <summary>Where its task code runs: inside carrotd, or in runner processes of its own.</summary>
    public WorkerIsolation Isolation { get; init; }

    /// <summary>
    /// A process worker's runner is replaced after this many tasks (0: no limit); null means the daemon's
    /// <c>runnerMaxTasks</c>. An in-process worker has no runners, so this only applies once it runs in processes.
    /// </summary>
    public int? RunnerMaxTasks { get; init; }

    /// <summary>
    /// A process worker's runner whose resident memory passes this many MiB after a task is replaced (0: no limit); null
    /// means the daemon's <c>runnerMaxMemoryMiB</c>. Only meaningful for process workers.
    /// </summary>
    public int? RunnerMaxMemoryMiB { get; init; }
}
