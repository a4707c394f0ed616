using Carrot.Logging;
using Carrot.Records;

namespace Carrot.Storage.Rows;

internal sealed class TaskLogRow
{
    public long TaskId { get; set; }
    public long Attempt { get; set; }
    public long Seq { get; set; }
    public long At { get; set; }
    public string Level { get; set; } = "";
    public string Message { get; set; } = "";
    public string? TraceId { get; set; }
    public string? SpanId { get; set; }

    public TaskLogLine ToRecord() =>
        new(TaskId, (int)Attempt, UnixTime.FromMs(At), Enum.TryParse<TaskLogLevel>(Level, out var level) ? level : TaskLogLevel.Information, Message)
        {
            TraceId = TraceId,
            SpanId = SpanId,
        };
}
