namespace Carrot.Storage.Writes;

/// <summary>A <see cref="TaskWrite"/> with its result, valid once its transaction committed.</summary>
internal abstract class TaskWrite<T> : TaskWrite
{
    public T Result { get; protected set; } = default!;

    public override void Reset() => Result = default!;
}
