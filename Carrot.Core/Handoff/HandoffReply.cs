using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Handoff;

/// <summary>
/// The outcome of a handed-off enqueue: the <see cref="EnqueueResult"/> the caller would have had itself, and, when
/// asked, the task's state right after; or the <see cref="Failure"/> it would have met.
/// </summary>
internal sealed record HandoffReply
{
    public EnqueueResult? Result { get; init; }

    public TaskState? State { get; init; }

    public string? TaskResult { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    public HandoffFailure? Failure { get; init; }
}
