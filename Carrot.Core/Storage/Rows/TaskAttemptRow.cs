using Carrot.Records;

namespace Carrot.Storage.Rows;

internal sealed class TaskAttemptRow
{
    public const string Columns = """
        task_id AS TaskId, attempt AS Attempt, node AS Node, started_at AS StartedAt, finished_at AS FinishedAt,
        status AS Status, error_type AS ErrorType, error_message AS ErrorMessage, stack_trace AS StackTrace
        """;

    public long TaskId { get; set; }
    public long Attempt { get; set; }
    public string? Node { get; set; }
    public long? StartedAt { get; set; }
    public long FinishedAt { get; set; }
    public string Status { get; set; } = "";
    public string? ErrorType { get; set; }
    public string? ErrorMessage { get; set; }
    public string? StackTrace { get; set; }

    public TaskAttemptRecord ToRecord() => new(TaskId, (int)Attempt, Node, UnixTime.FromMs(StartedAt), UnixTime.FromMs(FinishedAt), Status, ErrorType, ErrorMessage, StackTrace);
}
