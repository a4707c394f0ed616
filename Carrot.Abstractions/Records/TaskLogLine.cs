using Carrot.Logging;

namespace Carrot.Records;

/// <summary>A line the task wrote while it ran (through <see cref="Tasks.TaskContext"/>, an injected logger, or the console).</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">The attempt that wrote it.</param>
/// <param name="At">When it was written.</param>
/// <param name="Level">How important it is.</param>
/// <param name="Message">The line.</param>
public sealed record TaskLogLine(long TaskId, int Attempt, DateTimeOffset At, TaskLogLevel Level, string Message)
{
    /// <summary>The W3C trace id (32 hex digits) of the span current when the line was written; null when carrotd was not tracing.</summary>
    public string? TraceId { get; init; }

    /// <summary>The W3C span id (16 hex digits) of that span: the attempt's process span, or one the task's code made under it.</summary>
    public string? SpanId { get; init; }
}
