using System.Diagnostics;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>W3C <c>traceparent</c> text (<c>00-&lt;32 hex trace id&gt;-&lt;16 hex span id&gt;-&lt;2 hex flags&gt;</c>), as stored with a task.</summary>
internal static class TraceParent
{
    public const string Format = "00-<32 hex trace id>-<16 hex span id>-<2 hex flags>";

    public static bool TryParse(string? text, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrWhiteSpace(text)
            && ActivityContext.TryParse(text.Trim(), traceState: null, isRemote: true, out context)
            && context.TraceId != default;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    /// <summary>The trace id of a stored traceparent, or null when there is none.</summary>
    public static string? TraceIdOf(string? text) => TryParse(text, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>The traceparent of an activity, or null when it has no W3C id (a hierarchical id cannot be continued elsewhere).</summary>
    public static string? Of(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;
}
