using System.Text.Json;

namespace Carrot.Kallables.RunnerProtocol;

/// <summary>An event of a <see cref="RunnerSpan"/> (an exception, say): its name, time and tags.</summary>
internal sealed record RunnerSpanEvent
{
    public string Name { get; init; } = "";

    public DateTime TimeUtc { get; init; }

    public Dictionary<string, JsonElement>? Tags { get; init; }
}
