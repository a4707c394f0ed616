using Carrot.Cli.Output.Views;

namespace Carrot.Monitor.Json;

/// <summary><c>GET api/overview</c>: <c>carrot status --json</c>, per worker the last hour's outcomes, and the two charts.</summary>
internal sealed record OverviewView(
    StatusView Status,
    IReadOnlyDictionary<string, WorkerHourView> LastHour,
    IReadOnlyList<ThroughputView> LastHourByMinute,
    IReadOnlyList<ThroughputView> LastDayByHour);
