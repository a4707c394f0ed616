namespace Carrot.Records;

/// <summary>What a producer asks for. <see cref="Args"/> is a JSON array, <see cref="Kwargs"/> a JSON object.</summary>
public sealed record EnqueueRequest
{
    public required string Kallable { get; init; }
    public string Args { get; init; } = "[]";
    public string Kwargs { get; init; } = "{}";
    public string Worker { get; init; } = WorkerRecord.DefaultName;
    public int Priority { get; init; }
}
