using Carrot.Logging;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>A captured log line in <c>tasks show --logs --json</c>, with the trace and span it was written in (null when carrotd was not tracing).</summary>
internal sealed record TaskLogView(DateTimeOffset At, int Attempt, TaskLogLevel Level, string Message, string? TraceId, string? SpanId)
{
    public static TaskLogView From(TaskLogLine line) => new(line.At, line.Attempt, line.Level, line.Message, line.TraceId, line.SpanId);
}
