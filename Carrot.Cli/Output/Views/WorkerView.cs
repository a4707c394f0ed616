using Carrot.Client;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>A worker in <c>workers list --json</c>.</summary>
internal sealed record WorkerView(string Name, int Concurrency, string Isolation, bool Paused, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkerView From(WorkerRecord worker) => new(worker.Name, worker.Concurrency, worker.Isolation.ToName(), worker.Paused, worker.Description, worker.CreatedAt, worker.UpdatedAt);
}
