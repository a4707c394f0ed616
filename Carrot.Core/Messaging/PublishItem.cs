namespace Carrot.Messaging;

/// <summary>One task id to publish to its worker's queue, with the task's trace context for the message's header.</summary>
internal readonly record struct PublishItem(long TaskId, string Worker, int Priority, string? TraceParent = null);
