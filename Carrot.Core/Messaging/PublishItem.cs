namespace Carrot.Messaging;

/// <summary>One task id to publish to its worker's queue.</summary>
internal readonly record struct PublishItem(long TaskId, string Worker, int Priority);
