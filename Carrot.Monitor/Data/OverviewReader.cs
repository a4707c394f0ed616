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
        // The broker's part of the status (a connection, then the queue depths) and the database's charts, side by side.
        var reading = client.GetStatusAsync(cancellationToken);
        var charts = throughput.OverviewAsync(cancellationToken);
        await Task.WhenAll(reading, charts);
        var (status, counts) = (await reading, await charts);
        return new OverviewView(
            StatusView.From(client.Options, status),
            counts.LastHour.ToDictionary(p => p.Key, p => new WorkerHourView(p.Value.Succeeded, p.Value.Failed), StringComparer.Ordinal),
            counts.ByMinute.Select(b => new ThroughputView(b.Start, b.Succeeded, b.Failed)).ToList(),
            counts.ByHour.Select(b => new ThroughputView(b.Start, b.Succeeded, b.Failed)).ToList());
    }
}
