namespace Carrot.Handoff;

/// <summary>
/// carrotd's answer to the hello, before the caller has sent its task: declined, the caller enqueues by itself and
/// nothing can have been recorded twice.
/// </summary>
internal sealed record HandoffAnswer(bool Accepted, string? Reason);
