using System.Collections.Concurrent;
using System.Diagnostics;
using Carrot.Diagnostics.Telemetry;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// Re-emits in carrotd the spans task code makes in runners, so carrotd's exporters see them: each from an
/// ActivitySource of the span's own name and version (made once here, disposed with the host). One attempt's spans
/// are followed by its <see cref="AttemptSpans"/>.
/// </summary>
internal sealed class RunnerSpanEmitter : IDisposable
{
    /// <summary>The most spans one attempt in a runner re-emits; the rest are counted in the task's log.</summary>
    public const int MaxSpansPerAttempt = 1000;

    private readonly ConcurrentDictionary<(string Name, string? Version), ActivitySource> _sources = new();

    /// <summary>The spans of one attempt, under <paramref name="processSpan"/> (null: no one listens to "Carrot", nothing is re-emitted).</summary>
    public AttemptSpans Begin(Activity? processSpan) => new(this, processSpan?.Context ?? default, TraceParent.Of(processSpan));

    public ActivitySource SourceOf(string name, string? version) =>
        _sources.GetOrAdd((name, version), key => new ActivitySource(key.Name, key.Version));

    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            source.Dispose();
        }
    }
}
