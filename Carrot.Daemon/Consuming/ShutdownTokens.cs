namespace Carrot.Daemon.Consuming;

/// <summary>
/// The two moments of a shutdown. <see cref="Interrupt"/> fires when the grace period ends and is the token
/// running tasks see; <see cref="Abandon"/> fires a little later, when the daemon stops waiting for tasks that
/// ignore their token and stops retrying database writes.
/// </summary>
internal sealed class ShutdownTokens : IDisposable
{
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _abandon = new();

    public CancellationToken Interrupt => _interrupt.Token;

    public CancellationToken Abandon => _abandon.Token;

    public void InterruptAfter(TimeSpan delay) => _interrupt.CancelAfter(delay);

    public void AbandonNow()
    {
        _interrupt.Cancel();
        _abandon.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _abandon.Dispose();
    }
}
