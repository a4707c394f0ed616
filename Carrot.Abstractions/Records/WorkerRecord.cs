namespace Carrot.Records;

/// <summary>A named queue with its own concurrency. The <c>default</c> worker always exists.</summary>
public sealed record WorkerRecord(string Name, int Concurrency, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const string DefaultName = "default";
}
