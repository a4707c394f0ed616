using System.Diagnostics;
using System.Text.Json;
using Carrot.Diagnostics.Telemetry;
using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Runner;

/// <summary>
/// Traces across the runner's pipe. While a task runs, a stand-in for its process span (same trace id, the process
/// span as its parent) is <c>Activity.Current</c> in the task's flow, so the spans task code starts are in the attempt's
/// trace. A listener on the sources carrotd exports sends each recorded span to carrotd as it starts and as it ends
/// (tags and events within bounds); carrotd mirrors it under the process span. .NET lets no one choose a span's id, so
/// the stand-in's id and the spans' own are replaced by carrotd's (consistently: a child keeps pointing at its parent,
/// and a log line written in a span is stored with that span's carrotd ids).
/// </summary>
internal sealed class RunnerTracing : IDisposable
{
    public const int MaxTagsPerSpan = 64;
    public const int MaxEventsPerSpan = 32;
    public const int MaxTagChars = 4096;

    private readonly FrameChannel _channel;
    private readonly ActivityListener? _listener;

    public RunnerTracing(FrameChannel channel, TracedSources sources)
    {
        _channel = channel;
        if (!sources.Any)
        {
            return;
        }

        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name != CarrotTelemetry.SourceName && sources.Match(source.Name),
            // As the SDK's default (parent-based) sampler: recorded when the attempt's span is, and never a trace of its own.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId != default && options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.None,
            ActivityStarted = activity => Send(RunnerFrame.SpanStartKind, activity),
            ActivityStopped = activity => Send(RunnerFrame.SpanKind, activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>
    /// Makes the stand-in of the process span current in the caller's flow (call it where the task runs); null
    /// without a traceparent. Disposing it restores what was current.
    /// </summary>
    public static Activity? BeginTask(string? traceParent)
    {
        if (!TraceParent.TryParse(traceParent, out var parent))
        {
            return null;
        }

        // Not from any source, so no listener sees it: it only carries the context.
        var standIn = new Activity("carrot.runner.attempt");
        standIn.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        return standIn.Start();
    }

    public void Dispose() => _listener?.Dispose();

    /// <summary>A log or text frame stamped with the span current where its line was written.</summary>
    public static RunnerFrame Stamped(RunnerFrame frame) => Activity.Current is { } current
        ? frame with { TraceId = current.TraceId.ToHexString(), SpanId = current.SpanId.ToHexString() }
        : frame;

    private void Send(string kind, Activity activity)
    {
        if (!activity.Recorded)
        {
            return;
        }

        var ended = kind == RunnerFrame.SpanKind;
        var span = new RunnerSpan
        {
            Source = activity.Source.Name,
            SourceVersion = activity.Source.Version,
            Name = activity.DisplayName,
            Kind = activity.Kind.ToString(),
            TraceId = activity.TraceId.ToHexString(),
            SpanId = activity.SpanId.ToHexString(),
            ParentSpanId = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
            StartUtc = activity.StartTimeUtc,
            DurationTicks = ended ? activity.Duration.Ticks : 0,
            Status = !ended || activity.Status == ActivityStatusCode.Unset ? null : activity.Status.ToString(),
            StatusDescription = ended ? Cut(activity.StatusDescription) : null,
            Tags = Tags(activity.TagObjects),
            Events = ended && activity.Events.Any()
                ? [.. activity.Events.Take(MaxEventsPerSpan).Select(e => new RunnerSpanEvent { Name = e.Name, TimeUtc = e.Timestamp.UtcDateTime, Tags = Tags(e.Tags) })]
                : null,
        };
        try
        {
            _channel.Send(new RunnerFrame(kind) { Span = span });
        }
        catch (IOException)
        {
            // carrotd is gone; the runner ends when its input closes.
        }
    }

    private static Dictionary<string, JsonElement>? Tags(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        Dictionary<string, JsonElement>? kept = null;
        foreach (var (key, value) in tags)
        {
            if (value is null || (kept?.Count ?? 0) >= MaxTagsPerSpan)
            {
                continue;
            }

            kept ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            kept[key] = value switch
            {
                string text => JsonSerializer.SerializeToElement(Cut(text)),
                bool or int or long or short or byte or double or float => JsonSerializer.SerializeToElement(value),
                _ => JsonSerializer.SerializeToElement(Cut(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))),
            };
        }

        return kept;
    }

    private static string? Cut(string? text) => text is { Length: > MaxTagChars } ? text[..MaxTagChars] + " …" : text;
}
