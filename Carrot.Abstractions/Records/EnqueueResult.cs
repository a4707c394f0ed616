namespace Carrot.Records;

/// <summary>
/// The task is durably recorded either way. When <see cref="Published"/> is false the broker did not confirm
/// the message; a running daemon publishes the task later, so it is not lost.
/// </summary>
public sealed record EnqueueResult(long TaskId, bool Published, string? PublishError);
