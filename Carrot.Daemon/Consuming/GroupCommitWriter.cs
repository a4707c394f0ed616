using System.Data.Common;
using System.Threading.Channels;
using Carrot.Errors;
using Carrot.Storage;
using Carrot.Storage.Writes;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// The daemon's one writer for claims and outcomes. Whatever the runners ask for while a commit is in progress
/// goes into the next transaction together, so a burst of N finishing tasks costs one fsync instead of N — the
/// difference between ~1,000 and several thousand tasks a second with synchronous=FULL. Nothing waits to fill a
/// batch: a lone write commits at once, so an idle daemon's latency is unchanged. Each caller still gets its
/// own result only after the commit that holds it, so "acked only after the outcome is committed" stands.
/// It keeps one connection with the statements prepared (<see cref="TaskWriteSession"/>); on PostgreSQL a batch is one round
/// trip whatever its size.
/// Only an error of the database as a whole (<see cref="CarrotStoreException.IsTransient"/>: locked, read-only, full)
/// fails a whole batch, for each caller to retry; any other error belongs to one write, which is found by writing the
/// batch one by one and fails alone, so a poisoned write never fails its neighbours nor loops.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly StoreEngine _engine;
    private readonly TimeProvider _clock;
    private readonly Serilog.ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private TaskWriteSession? _session;

    public GroupCommitWriter(StoreEngine engine, TimeProvider clock, Serilog.ILogger logger)
    {
        _engine = engine;
        _clock = clock;
        _logger = logger.ForContext<GroupCommitWriter>();
        _loop = Task.Run(RunAsync);
    }

    public Task<ClaimedTask?> TryClaimAsync(long id, string worker, string owner, string node, TimeSpan lease, CancellationToken cancellationToken) =>
        EnqueueAsync(new ClaimWrite(id, worker, owner, node, lease), cancellationToken);

    /// <summary>Records an outcome (see <see cref="CompleteWrite"/>); null when the lease was lost.</summary>
    public Task<TaskOutcome?> CompleteAsync(ClaimedTask claim, Func<bool, TaskOutcome> decide, IReadOnlyList<TaskLogEntry> logs, CancellationToken cancellationToken) =>
        EnqueueAsync(new CompleteWrite(claim, decide, logs), cancellationToken);

    public Task<HandBack> ReleaseAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs, bool republish, CancellationToken cancellationToken) =>
        EnqueueAsync(new ReleaseWrite(claim, logs, republish), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }

    private Task<T> EnqueueAsync<T>(TaskWrite<T> write, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite<T>(write, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new CarrotStoreException("The daemon is stopping; its database writer no longer takes writes.") { IsTransient = false };
        }

        return pending.Result;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A caller that gave up (shutdown abandoned) is not written for.
                if (!pending.CancelIfRequested())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        List<PendingWrite> again = [];
        try
        {
            var now = UnixTime.ToMs(_clock.GetUtcNow());
            var session = _session ??= await TaskWriteSession.OpenAsync(_engine, CancellationToken.None);
            var found = await session.WriteAsync(batch.Select(pending => pending.Write).ToList(), now);
            foreach (var pending in batch.Where(pending => !found.Contains(pending.Write)))
            {
                pending.Commit();
            }

            again = batch.Where(pending => found.Contains(pending.Write)).ToList();
        }
        catch (CarrotStoreException e) when (e.IsTransient)
        {
            // The database as a whole could not take it: every caller retries on its own terms (StoreRetry). A fresh
            // connection next time, in case this one is what broke.
            await ResetSessionAsync();
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One write's own error: find it by writing them one transaction each, so the others still commit.
            _logger.Warning("A grouped commit of {Count} writes failed ({Reason}); writing them one by one", batch.Count, e.Message);
            foreach (var pending in batch)
            {
                pending.Reset();
                await CommitAsync([pending]);
            }
        }
        catch (Exception e)
        {
            // This write can never succeed; its caller decides what to record instead (it is not retried).
            batch[0].Fail(e is CarrotStoreException ? e : new CarrotStoreException($"A database write failed: {e.Message}", e) { IsTransient = false });
        }

        // Those that found a cancel asked for applied nothing: again now, knowing it, once the others have their results.
        if (again.Count > 0)
        {
            await CommitAsync(again);
        }
    }

    private async Task ResetSessionAsync()
    {
        var session = _session;
        _session = null;
        if (session is not null)
        {
            try
            {
                await session.DisposeAsync();
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                _logger.Debug("Closing the writer's connection failed: {Reason}", e.Message);
            }
        }
    }

    private abstract class PendingWrite
    {
        public abstract TaskWrite Write { get; }

        public abstract void Commit();

        public abstract void Fail(Exception error);

        public void Reset() => Write.Reset();

        public abstract bool CancelIfRequested();
    }

    private sealed class PendingWrite<T>(TaskWrite<T> write, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        public override TaskWrite Write => write;

        public override void Commit() => _result.TrySetResult(write.Result);

        public override void Fail(Exception error) => _result.TrySetException(error);

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _result.TrySetCanceled(cancellationToken);
    }
}
