namespace Carrot.Records;

/// <summary>A named queue with its own concurrency. The <c>default</c> worker always exists. A paused worker starts nothing new.</summary>
public sealed record WorkerRecord(string Name, int Concurrency, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Paused = false)
{
    public const string DefaultName = "default";
}
