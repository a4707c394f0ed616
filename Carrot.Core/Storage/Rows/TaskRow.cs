using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Storage.Rows;

/// <summary>A tasks row as SQLite returns it; converted to <see cref="TaskRecord"/> at the store's edge.</summary>
internal sealed class TaskRow
{
    public const string Columns = """
        id AS Id, kallable AS Kallable, args AS Args, kwargs AS Kwargs, worker AS Worker, status AS Status,
        priority AS Priority, attempts AS Attempts, max_attempts AS MaxAttempts, created_at AS CreatedAt,
        queued_at AS QueuedAt, published_at AS PublishedAt, started_at AS StartedAt, finished_at AS FinishedAt,
        node AS Node, result AS Result, error_type AS ErrorType, error_message AS ErrorMessage, stack_trace AS StackTrace
        """;

    public long Id { get; set; }
    public string Kallable { get; set; } = "";
    public string Args { get; set; } = "[]";
    public string Kwargs { get; set; } = "{}";
    public string Worker { get; set; } = "";
    public string Status { get; set; } = "";
    public long Priority { get; set; }
    public long Attempts { get; set; }
    public long MaxAttempts { get; set; }
    public long CreatedAt { get; set; }
    public long? QueuedAt { get; set; }
    public long? PublishedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public string? Node { get; set; }
    public string? Result { get; set; }
    public string? ErrorType { get; set; }
    public string? ErrorMessage { get; set; }
    public string? StackTrace { get; set; }

    public TaskRecord ToRecord() => new()
    {
        Id = Id,
        Kallable = Kallable,
        Args = Args,
        Kwargs = Kwargs,
        Worker = Worker,
        State = TaskStateNames.Parse(Status),
        Priority = (int)Priority,
        Attempts = (int)Attempts,
        MaxAttempts = (int)MaxAttempts,
        CreatedAt = UnixTime.FromMs(CreatedAt),
        QueuedAt = UnixTime.FromMs(QueuedAt),
        PublishedAt = UnixTime.FromMs(PublishedAt),
        StartedAt = UnixTime.FromMs(StartedAt),
        FinishedAt = UnixTime.FromMs(FinishedAt),
        Node = Node,
        Result = Result,
        ErrorType = ErrorType,
        ErrorMessage = ErrorMessage,
        StackTrace = StackTrace,
    };
}
