using Carrot.Client;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>
/// A worker in <c>workers list --json</c>. runnerMaxTasks and runnerMaxMemoryMiB apply to process workers only: null is
/// the daemon's default, 0 no limit.
/// </summary>
internal sealed record WorkerView(string Name, int Concurrency, string Isolation, int? RunnerMaxTasks, int? RunnerMaxMemoryMiB, bool Paused, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkerView From(WorkerRecord worker) => new(
        worker.Name, worker.Concurrency, worker.Isolation.ToName(), worker.RunnerMaxTasks, worker.RunnerMaxMemoryMiB, worker.Paused, worker.Description, worker.CreatedAt, worker.UpdatedAt);
}
