using System.Text.Json;

namespace Carrot.Kallables.RunnerProtocol;

/// <summary>
/// A span that task code finished in a runner, as carrotd re-emits it (<c>Isolation.RunnerSpanEmitter</c>): from an
/// ActivitySource of the same name and version, with its ids as the runner made them (carrotd maps them to its own).
/// </summary>
internal sealed record RunnerSpan
{
    public string Source { get; init; } = "";

    public string? SourceVersion { get; init; }

    public string Name { get; init; } = "";

    /// <summary>An <c>ActivityKind</c> name.</summary>
    public string Kind { get; init; } = "Internal";

    public string TraceId { get; init; } = "";

    public string SpanId { get; init; } = "";

    /// <summary>The runner-side parent: another span of the same task, or the runner's stand-in for the process span.</summary>
    public string? ParentSpanId { get; init; }

    public DateTime StartUtc { get; init; }

    public long DurationTicks { get; init; }

    /// <summary>An <c>ActivityStatusCode</c> name.</summary>
    public string? Status { get; init; }

    public string? StatusDescription { get; init; }

    public Dictionary<string, JsonElement>? Tags { get; init; }

    public List<RunnerSpanEvent>? Events { get; init; }
}
