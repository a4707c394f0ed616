using System.Diagnostics;
using System.Text.Json;
using Carrot.Diagnostics.Telemetry;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Storage;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// The spans one attempt's code makes in a runner, mirrored in carrotd as they start and stop, in the process span's
/// trace. .NET gives every new span an id of its own, so ids are mapped, consistently: a span the runner started under
/// its stand-in for the process span (an id carrotd never saw) becomes a child of the process span, a child of another
/// of the task's spans a child of that span's carrotd id, and a log line written in a span is stamped with its carrotd
/// ids. A runner starts a parent before its children, so a parent's carrotd id is known when a child starts.
/// Used from the runner's reader loop only (one thread).
/// </summary>
internal sealed class AttemptSpans(RunnerSpanEmitter emitter, ActivityContext processSpan, string? processTraceParent)
{
    private readonly Dictionary<string, Activity> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityContext> _known = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The process span's traceparent, for the run frame; null without one.</summary>
    public string? ProcessTraceParent => processTraceParent;

    /// <summary>Spans past <see cref="RunnerSpanEmitter.MaxSpansPerAttempt"/>, not re-emitted.</summary>
    public int Dropped { get; private set; }

    public void Start(RunnerSpan? span)
    {
        if (span is null || processSpan == default || _known.ContainsKey(span.SpanId))
        {
            return;
        }

        if (++_count > RunnerSpanEmitter.MaxSpansPerAttempt)
        {
            Dropped++;
            return;
        }

        var previous = Activity.Current;
        try
        {
            var source = emitter.SourceOf(span.Source, span.SourceVersion);
            var kind = Enum.TryParse<ActivityKind>(span.Kind, out var parsed) ? parsed : ActivityKind.Internal;
            // Null when nothing in carrotd listens to that source: its children then go under the process span.
            if (source.CreateActivity(span.Name, kind, ParentOf(span), Tags(span.Tags), links: null, ActivityIdFormat.W3C) is not { } activity)
            {
                return;
            }

            activity.SetStartTime(span.StartUtc.ToUniversalTime());
            activity.Start();
            _open[span.SpanId] = activity;
            _known[span.SpanId] = activity.Context;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>The span as it ended: its final name, tags, events and status, and its end.</summary>
    public void Stop(RunnerSpan? span)
    {
        if (span is null || processSpan == default)
        {
            return;
        }

        if (!_open.Remove(span.SpanId, out var activity))
        {
            // Its start was not mirrored (the bound, or no listener): nothing to end.
            return;
        }

        var previous = Activity.Current;
        try
        {
            activity.DisplayName = span.Name;
            foreach (var (key, value) in Tags(span.Tags) ?? [])
            {
                activity.SetTag(key, value);
            }

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
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>
    /// The ids a log line written in the runner's span <paramref name="spanId"/> is stored with: that span's carrotd ids,
    /// else (the stand-in, or a span not mirrored) the process span's; none without a trace.
    /// </summary>
    public TaskLogTrace TraceOf(string? traceId, string? spanId)
    {
        if (spanId is not null && _known.TryGetValue(spanId, out var mirrored))
        {
            return new TaskLogTrace(mirrored.TraceId.ToHexString(), mirrored.SpanId.ToHexString());
        }

        return traceId is null || processSpan == default ? TaskLogTrace.None : new TaskLogTrace(processSpan.TraceId.ToHexString(), processSpan.SpanId.ToHexString());
    }

    /// <summary>The attempt is over (answered, or its runner died): spans still open end now, marked so.</summary>
    public void End()
    {
        var previous = Activity.Current;
        try
        {
            foreach (var activity in _open.Values)
            {
                activity.SetTag("carrot.span.unfinished", true);
                activity.Stop();
            }

            _open.Clear();
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private ActivityContext ParentOf(RunnerSpan span)
    {
        if (span.ParentSpanId is { } parentId && _known.TryGetValue(parentId, out var mapped))
        {
            return mapped;
        }

        // A span task code put in another trace on purpose (an incoming message's, say) keeps that parent.
        if (!string.Equals(span.TraceId, processSpan.TraceId.ToHexString(), StringComparison.Ordinal)
            && TraceParent.TryParse($"00-{span.TraceId}-{span.ParentSpanId}-01", out var other))
        {
            return other;
        }

        return processSpan;
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
