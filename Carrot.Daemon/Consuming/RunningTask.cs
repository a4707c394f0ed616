using Carrot.Storage;

namespace Carrot.Daemon.Consuming;

/// <summary>A task this daemon is running, with the token a cancel request fires.</summary>
internal sealed class RunningTask(ClaimedTask claim) : IDisposable
{
    public ClaimedTask Claim { get; } = claim;

    public CancellationTokenSource Cancel { get; } = new();

    public void Dispose() => Cancel.Dispose();
}
