namespace Carrot.Storage;

/// <summary>
/// What a retry put back in the queue, and what it left alone because the task's worker no longer exists
/// (<paramref name="LeftWithoutWorker"/> tasks, of the workers <paramref name="MissingWorkers"/>).
/// </summary>
internal sealed record RetriedTasks(IReadOnlyList<UnpublishedTask> Retried, int LeftWithoutWorker, IReadOnlyList<string> MissingWorkers);
