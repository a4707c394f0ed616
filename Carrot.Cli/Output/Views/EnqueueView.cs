using System.Text.Json;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Cli.Output.Views;

/// <summary>
/// <c>enqueue --json</c>: the id, whether the broker confirmed it, and the task's state as known on exit
/// (with --wait, the final state with its result or error).
/// </summary>
internal sealed record EnqueueView(long TaskId, bool Published, string? PublishError, bool Duplicate, TaskState State, JsonElement? Result, string? ErrorType, string? ErrorMessage)
{
    public static EnqueueView From(EnqueueResult enqueued, TaskRecord? task) =>
        From(enqueued, task?.State, task?.Result, task?.ErrorType, task?.ErrorMessage);

    /// <summary>From the fields alone: a handed-off enqueue gets them from carrotd, not as a record.</summary>
    public static EnqueueView From(EnqueueResult enqueued, TaskState? state, string? result, string? errorType, string? errorMessage) => new(
        enqueued.TaskId,
        enqueued.Published,
        enqueued.PublishError,
        enqueued.Duplicate,
        state ?? TaskState.Queued,
        RawJson.Parse(result),
        errorType,
        errorMessage);
}
