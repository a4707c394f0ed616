namespace Carrot.Monitor.Json;

/// <summary>A worker's tasks that succeeded and failed in the last hour.</summary>
internal sealed record WorkerHourView(long Succeeded, long Failed);
