using System.Globalization;
using Carrot.Records;

namespace Carrot.Cli.Output;

/// <summary>
/// A worker's runner recycle limits in tables (the CLI's and the monitor's): <c>5 tasks, default MiB</c>. They matter
/// only for process workers, so an in-process worker has none to show (null), or, when it keeps limits of its own for
/// a later switch, says they wait for it.
/// </summary>
internal static class RunnerLimitsDisplay
{
    public static string? Text(WorkerIsolation isolation, int? maxTasks, int? maxMemoryMiB)
    {
        var limits = $"{Limit(maxTasks)} tasks, {Limit(maxMemoryMiB)} MiB";
        if (isolation == WorkerIsolation.Process)
        {
            return limits;
        }

        return maxTasks is null && maxMemoryMiB is null ? null : $"({limits} once process)";
    }

    private static string Limit(int? value) => value switch
    {
        null => "default",
        0 => "unlimited",
        { } v => v.ToString("N0", CultureInfo.InvariantCulture),
    };
}
