namespace Carrot.Storage.Monitoring;

/// <summary>How many of a worker's tasks succeeded and failed since a moment.</summary>
internal sealed record WorkerOutcomes(long Succeeded, long Failed);
