namespace Carrot.Daemon.Execution;

/// <summary>
/// A daemon-wide reader/writer gate: ordinary tasks share it; a task marked to run alone (a crash suspect) waits
/// until nothing else runs and holds it exclusively. A waiting exclusive entry blocks new shared ones, so a
/// suspect is not starved by a steady stream of ordinary tasks.
/// </summary>
internal sealed class RunAloneGate
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _shared;
    private int _waitingExclusive;
    private bool _exclusive;

    public async Task<IAsyncDisposable> EnterAsync(bool alone, CancellationToken cancellationToken)
    {
        if (alone)
        {
            lock (_gate)
            {
                _waitingExclusive++;
            }
        }

        try
        {
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (alone && !_exclusive && _shared == 0)
                    {
                        _exclusive = true;
                        _waitingExclusive--;
                        return new Exit(this, alone);
                    }

                    if (!alone && !_exclusive && _waitingExclusive == 0)
                    {
                        _shared++;
                        return new Exit(this, alone);
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (alone)
        {
            lock (_gate)
            {
                _waitingExclusive--;
                Signal();
            }

            throw;
        }
    }

    private void Leave(bool alone)
    {
        lock (_gate)
        {
            if (alone)
            {
                _exclusive = false;
            }
            else
            {
                _shared--;
            }

            Signal();
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Exit(RunAloneGate gate, bool alone) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Leave(alone);
            return ValueTask.CompletedTask;
        }
    }
}
