namespace Carrot.Records;

/// <summary>
/// A change of one of a process worker's recycle limits (<see cref="WorkerRecord.RunnerMaxTasks"/>,
/// <see cref="WorkerRecord.RunnerMaxMemoryMiB"/>): a value of its own, or back to the daemon's default.
/// </summary>
public readonly record struct RunnerLimitChange
{
    private RunnerLimitChange(int? value) => Value = value;

    /// <summary>Back to the daemon-wide setting (<c>runnerMaxTasks</c>, <c>runnerMaxMemoryMiB</c>).</summary>
    public static RunnerLimitChange ToDaemonDefault => default;

    /// <summary>The worker's own value; null means the daemon's default.</summary>
    public int? Value { get; }

    /// <summary>A value of the worker's own; 0 means no limit of this kind.</summary>
    public static RunnerLimitChange To(int value) => new(value);
}
