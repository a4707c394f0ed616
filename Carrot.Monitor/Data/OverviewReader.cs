using Carrot.Cli.Output.Views;
using Carrot.Monitor.Json;

namespace Carrot.Monitor.Data;

/// <summary>What the overview shows: <c>carrot status</c> (through the client), the last hour per worker, and the two charts (from the kept per-minute counts).</summary>
internal static class OverviewReader
{
    public static async Task<OverviewView> ReadAsync(MonitorContext monitor, CancellationToken cancellationToken)
    {
        var client = await monitor.ClientAsync(cancellationToken);
        var throughput = await monitor.ThroughputAsync(cancellationToken);
        var now = client.Clock.GetUtcNow();
        var status = await client.GetStatusAsync(cancellationToken);
        var hour = await throughput.OutcomesByWorkerAsync(now.AddHours(-1), cancellationToken);
        var byMinute = await throughput.ThroughputAsync(now.AddHours(-1), TimeSpan.FromMinutes(1), cancellationToken);
        var byHour = await throughput.ThroughputAsync(now.AddDays(-1), TimeSpan.FromHours(1), cancellationToken);
        return new OverviewView(
            StatusView.From(client.Options, status),
            hour.ToDictionary(p => p.Key, p => new WorkerHourView(p.Value.Succeeded, p.Value.Failed), StringComparer.Ordinal),
            byMinute.Select(b => new ThroughputView(b.Start, b.Succeeded, b.Failed)).ToList(),
            byHour.Select(b => new ThroughputView(b.Start, b.Succeeded, b.Failed)).ToList());
    }
}
