using Carrot.Client;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Cli.Output.Views;

/// <summary>
/// A worker in <c>status --json</c>. Counts are keyed by state name and always list every state;
/// queueDepth is null when the broker could not be asked.
/// </summary>
internal sealed record WorkerStatusView(string Worker, int Concurrency, string Isolation, bool Paused, long? QueueDepth, IReadOnlyDictionary<string, long> Counts)
{
    public static WorkerStatusView From(WorkerStats stats) => new(
        stats.Worker,
        stats.Concurrency,
        stats.Isolation.ToName(),
        stats.Paused,
        stats.QueueDepth,
        Enum.GetValues<TaskState>().ToDictionary(s => s.ToName(), s => stats.Counts.GetValueOrDefault(s), StringComparer.Ordinal));
}
