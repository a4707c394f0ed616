namespace Carrot.Monitor.Json;

/// <summary>One bar of a throughput chart: tasks that finished in the span starting at <c>start</c>.</summary>
internal sealed record ThroughputView(DateTimeOffset Start, long Succeeded, long Failed);
