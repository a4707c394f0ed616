using Carrot.Records;

namespace Carrot.Handoff;

/// <summary>The task to enqueue; <see cref="WithTask"/> asks for the task's state after it, for <c>--json</c>.</summary>
internal sealed record HandoffRequest(EnqueueRequest Request, bool WithTask);
