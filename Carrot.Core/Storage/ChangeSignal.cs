namespace Carrot.Storage;

/// <summary>
/// Wakes a poller early when the store says something it watches changed (PostgreSQL's NOTIFY). The poller still
/// polls: a notification can be missed (the listening connection dropped), so the signal only shortens the wait.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes whoever waits now.</summary>
    public void Raise() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Returns after <paramref name="upTo"/> (false), or as soon as the signal is raised (true); throws when
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan upTo, TimeProvider clock, CancellationToken cancellationToken)
    {
        var raised = Volatile.Read(ref _next).Task;
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(upTo, clock, stopTimer.Token);
        var first = await Task.WhenAny(raised, timeout);
        cancellationToken.ThrowIfCancellationRequested();
        await stopTimer.CancelAsync();
        return first == raised;
    }
}
