namespace Carrot.Storage;

internal sealed record UnpublishedTask(long Id, string Worker, long Priority);
