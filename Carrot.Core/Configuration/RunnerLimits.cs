using Carrot.Errors;

namespace Carrot.Configuration;

/// <summary>
/// The ranges of a runner's recycle limits, the same for the daemon-wide defaults (<c>runnerMaxTasks</c>,
/// <c>runnerMaxMemoryMiB</c>) and a worker's own (<c>--runner-max-tasks</c>, <c>--runner-max-memory</c>). 0 means no limit.
/// </summary>
internal static class RunnerLimits
{
    public const int MaxTasks = int.MaxValue;

    public const int MaxMemoryMiB = 1024 * 1024;

    public const string TasksRange = "from 0 (no limit) to 2147483647 tasks";

    public const string MemoryRange = "from 0 (no limit) to 1048576 MiB (1 TiB)";

    /// <summary>A worker's own limits; a value out of range is one clear line (null is the daemon's default, always fine).</summary>
    public static void Check(int? maxTasks, int? maxMemoryMiB)
    {
        if (maxTasks is < 0)
        {
            throw new CarrotInputException($"Runner max tasks {maxTasks} is out of range: use {TasksRange}, or 'default' for the daemon's runnerMaxTasks.");
        }

        if (maxMemoryMiB is < 0 or > MaxMemoryMiB)
        {
            throw new CarrotInputException($"Runner max memory {maxMemoryMiB} MiB is out of range: use {MemoryRange}, or 'default' for the daemon's runnerMaxMemoryMiB.");
        }
    }
}
