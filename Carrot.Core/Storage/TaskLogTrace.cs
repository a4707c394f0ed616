using System.Diagnostics;

namespace Carrot.Storage;

/// <summary>The trace and span a captured log line was written in (W3C hex ids); both null when no span was current.</summary>
internal readonly record struct TaskLogTrace(string? TraceId, string? SpanId)
{
    public static TaskLogTrace None => default;

    /// <summary>The ids of <paramref name="activity"/>: the span current where the line was written.</summary>
    public static TaskLogTrace Of(Activity? activity) =>
        activity is null ? None : new TaskLogTrace(activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
}
