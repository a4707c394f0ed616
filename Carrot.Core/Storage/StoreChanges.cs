namespace Carrot.Storage;

/// <summary>
/// What a daemon may be told at once instead of finding it at its next poll: a running task someone asked to cancel,
/// a worker added, changed, paused or removed. Raised by <see cref="StoreEngine.ListenAsync"/> (PostgreSQL's
/// LISTEN/NOTIFY; SQLite tells nothing, and pollers keep their pace).
/// </summary>
internal sealed class StoreChanges
{
    public const string CancelChannel = "carrot_cancel";
    public const string WorkersChannel = "carrot_workers";

    public ChangeSignal CancelRequests { get; } = new();

    public ChangeSignal Workers { get; } = new();

    /// <summary>After a gap in listening, anything may have changed.</summary>
    public void RaiseAll()
    {
        CancelRequests.Raise();
        Workers.Raise();
    }

    public void Raise(string channel)
    {
        switch (channel)
        {
            case CancelChannel:
                CancelRequests.Raise();
                break;
            case WorkersChannel:
                Workers.Raise();
                break;
        }
    }
}
