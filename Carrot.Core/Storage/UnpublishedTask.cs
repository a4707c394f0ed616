namespace Carrot.Storage;

internal sealed record UnpublishedTask(long Id, string Worker, long Priority)
{
    /// <summary>The task's stored trace context, sent in the message's <c>traceparent</c> header when known (the producer's own publish).</summary>
    public string? TraceParent { get; init; }
}
