namespace Carrot.Storage;

/// <summary>A task an enqueue recorded, or, when <paramref name="Duplicate"/>, the earlier task its idempotency key already named.</summary>
internal readonly record struct InsertedTask(long Id, bool Duplicate);
