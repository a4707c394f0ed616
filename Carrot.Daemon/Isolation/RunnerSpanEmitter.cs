using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// Re-emits in carrotd the spans task code finished in a runner, so carrotd's exporters see them: from an ActivitySource
/// of the span's own name and version, in the same trace, with the same names, kinds, times, status, tags and events.
/// .NET gives a new span its own id, so ids are mapped: a span the runner made directly under the attempt (under its
/// stand-in) becomes a child of the process span, and a child of another of the task's spans a child of that span's
/// new id. Parents are emitted before their children for that.
/// </summary>
internal sealed class RunnerSpanEmitter : IDisposable
{
    /// <summary>The most spans one attempt sends back; the rest are counted in the task's log.</summary>
    public const int MaxSpansPerAttempt = 1000;

    private readonly ConcurrentDictionary<(string Name, string? Version), ActivitySource> _sources = new();

    /// <summary>Emits <paramref name="spans"/> under <paramref name="processSpan"/>; nothing without one (no one listens to "Carrot").</summary>
    public void Emit(IReadOnlyList<RunnerSpan> spans, ActivityContext processSpan)
    {
        if (spans.Count == 0 || processSpan == default)
        {
            return;
        }

        // Starting and stopping an activity moves Activity.Current; the caller's (the process span) comes back after.
        var previous = Activity.Current;
        try
        {
            var emitted = new Dictionary<string, ActivityContext>(StringComparer.Ordinal);
            foreach (var span in ParentsFirst(spans))
            {
                var parent = ParentOf(span, emitted, processSpan);
                if (EmitOne(span, parent) is { } context)
                {
                    emitted[span.SpanId] = context;
                }
            }
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            source.Dispose();
        }
    }

    private static ActivityContext ParentOf(RunnerSpan span, Dictionary<string, ActivityContext> emitted, ActivityContext processSpan)
    {
        if (span.ParentSpanId is { } parentId && emitted.TryGetValue(parentId, out var mapped))
        {
            return mapped;
        }

        // A span task code put in another trace on purpose (an incoming message's, say) keeps that parent.
        if (!string.Equals(span.TraceId, processSpan.TraceId.ToHexString(), StringComparison.Ordinal) && span.ParentSpanId is { } foreign
            && TryContext(span.TraceId, foreign, out var other))
        {
            return other;
        }

        return processSpan;
    }

    private ActivityContext? EmitOne(RunnerSpan span, ActivityContext parent)
    {
        var source = _sources.GetOrAdd((span.Source, span.SourceVersion), key => new ActivitySource(key.Name, key.Version));
        var kind = Enum.TryParse<ActivityKind>(span.Kind, out var parsed) ? parsed : ActivityKind.Internal;
        // Null when nothing in carrotd listens to that source.
        if (source.CreateActivity(span.Name, kind, parent, Tags(span.Tags), links: null, ActivityIdFormat.W3C) is not { } activity)
        {
            return null;
        }

        activity.SetStartTime(span.StartUtc);
        activity.Start();
        foreach (var spanEvent in span.Events ?? [])
        {
            activity.AddEvent(new ActivityEvent(spanEvent.Name, new DateTimeOffset(spanEvent.TimeUtc.ToUniversalTime()), new ActivityTagsCollection(Tags(spanEvent.Tags) ?? [])));
        }

        if (Enum.TryParse<ActivityStatusCode>(span.Status, out var status))
        {
            activity.SetStatus(status, span.StatusDescription);
        }

        activity.SetEndTime(span.StartUtc.ToUniversalTime() + TimeSpan.FromTicks(Math.Max(0, span.DurationTicks)));
        activity.Stop();
        return activity.Context;
    }

    /// <summary>Each span after its parent when the parent is among them; spans whose parent is not come first.</summary>
    private static IEnumerable<RunnerSpan> ParentsFirst(IReadOnlyList<RunnerSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is { } p && ids.Contains(p)).ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var pending = new Queue<RunnerSpan>(spans.Where(s => s.ParentSpanId is not { } p || !ids.Contains(p)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var span))
        {
            if (!seen.Add(span.SpanId))
            {
                continue;
            }

            yield return span;
            foreach (var child in children[span.SpanId])
            {
                pending.Enqueue(child);
            }
        }
    }

    private static bool TryContext(string traceId, string spanId, out ActivityContext context)
    {
        context = default;
        if (traceId.Length != 32 || spanId.Length != 16 || !traceId.All(char.IsAsciiHexDigit) || !spanId.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        context = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(spanId), ActivityTraceFlags.Recorded, isRemote: true);
        return true;
    }

    private static List<KeyValuePair<string, object?>>? Tags(Dictionary<string, JsonElement>? tags) =>
        tags?.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value.ValueKind switch
        {
            JsonValueKind.String => t.Value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when t.Value.TryGetInt64(out var whole) => whole,
            JsonValueKind.Number => t.Value.GetDouble(),
            _ => t.Value.GetRawText(),
        })).ToList();
}
