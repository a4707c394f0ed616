using Carrot.Client;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Cli.Output.Views;

/// <summary>
/// A worker in <c>status --json</c>. Counts are keyed by state name and always list every state;
/// queueDepth is null when the broker could not be asked; runnerMaxTasks and runnerMaxMemoryMiB apply to process
/// workers only (null: the daemon's default, 0: no limit).
/// </summary>
internal sealed record WorkerStatusView(string Worker, int Concurrency, string Isolation, int? RunnerMaxTasks, int? RunnerMaxMemoryMiB, bool Paused, long? QueueDepth, IReadOnlyDictionary<string, long> Counts)
{
    public static WorkerStatusView From(WorkerStats stats) => new(
        stats.Worker,
        stats.Concurrency,
        stats.Isolation.ToName(),
        stats.RunnerMaxTasks,
        stats.RunnerMaxMemoryMiB,
        stats.Paused,
        stats.QueueDepth,
        Enum.GetValues<TaskState>().ToDictionary(s => s.ToName(), s => stats.Counts.GetValueOrDefault(s), StringComparer.Ordinal));
}
