using System.Diagnostics.Metrics;
using Carrot.Diagnostics.Telemetry;
using Carrot.Tasks;

namespace Carrot.Daemon.Telemetry;

/// <summary>The last counts read from the store, for the gauges; <see cref="GaugeRefreshService"/> replaces them whole.</summary>
internal sealed class TaskGaugeSnapshot : ITaskGaugeSource
{
    private volatile Counts _counts = new(new Dictionary<(string Worker, TaskState State), long>(), 0);

    public void Update(IReadOnlyDictionary<(string Worker, TaskState State), long> byWorkerAndState, long unpublished) =>
        _counts = new Counts(byWorkerAndState, unpublished);

    public IEnumerable<Measurement<long>> Queued() => Of(TaskState.Queued);

    public IEnumerable<Measurement<long>> Running() => Of(TaskState.Running);

    public long RelayBacklog() => _counts.Unpublished;

    private IEnumerable<Measurement<long>> Of(TaskState state) =>
        _counts.ByWorkerAndState.Where(c => c.Key.State == state)
            .Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>(MessagingAttributes.Worker, c.Key.Worker)));

    private sealed record Counts(IReadOnlyDictionary<(string Worker, TaskState State), long> ByWorkerAndState, long Unpublished);
}
