using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Storage.Writes;
using Dapper;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// PostgreSQL row locks: the writer's batch and the live log store take the rows of running tasks in id order, so
/// neither ever holds a later row while it waits for an earlier one — the half of a deadlock between them. Shown with a
/// third transaction holding the earlier row: while a write waits for it, the later row is still free.
/// </summary>
[TestFixture(StoreKind.Postgres)]
public sealed class TaskRowLockOrderTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task ABatchOfOutcomes_GivenTheLaterTaskFirst_WaitsForTheEarlierRowHoldingNothing()
    {
        var (earlier, later) = await TwoRunningTasksAsync();
        await using var session = await TaskWriteSession.OpenAsync(Engine, None);

        await WhileTheEarlierRowIsHeldAsync(earlier.Id, later.Id, () => session.WriteAsync(
            [
                new CompleteWrite(later, _ => TaskOutcome.Succeeded("2"), []),
                new CompleteWrite(earlier, _ => TaskOutcome.Succeeded("1"), []),
            ],
            UnixTime.ToMs(Clock.Now)));

        Assert.That(Scalar<long>("SELECT count(*) FROM tasks WHERE status = 'succeeded'"), Is.EqualTo(2));
    }

    [Test]
    public async Task TheLiveLogStore_GivenTheLaterTaskFirst_WaitsForTheEarlierRowHoldingNothing()
    {
        var (earlier, later) = await TwoRunningTasksAsync();
        var line = new TaskLogEntry(Clock.Now, Carrot.Logging.TaskLogLevel.Information, "live");

        await WhileTheEarlierRowIsHeldAsync(earlier.Id, later.Id, () => new LiveLogStore(Database).AppendAsync(
            [new LiveLogBatch(later.Id, later.Attempt, [line]), new LiveLogBatch(earlier.Id, earlier.Attempt, [line])], None));

        Assert.That(Scalar<long>("SELECT count(*) FROM task_logs"), Is.EqualTo(2));
    }

    private async Task<(ClaimedTask Earlier, ClaimedTask Later)> TwoRunningTasksAsync()
    {
        var ids = await Tasks.InsertManyAsync([NewTask(), NewTask()], None);
        var earlier = (await Tasks.TryClaimAsync(ids.Min(), "default", "d-1", "h:1", Lease, None))!;
        var later = (await Tasks.TryClaimAsync(ids.Max(), "default", "d-1", "h:1", Lease, None))!;
        return (earlier, later);
    }

    /// <summary>Holds the earlier row while <paramref name="write"/> runs; checks the later row stays free meanwhile; then lets it finish.</summary>
    private async Task WhileTheEarlierRowIsHeldAsync(long earlierId, long laterId, Func<Task> write)
    {
        await using var holder = OpenRaw();
        await using var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("SELECT id FROM tasks WHERE id = @earlierId FOR UPDATE", new { earlierId }, held);

        var writing = write();
        await WaitUntilWaitingForALockAsync();
        await using (var probe = OpenRaw())
        {
            // NOWAIT fails at once (55P03) if the write took the later row before waiting for the earlier one.
            Assert.DoesNotThrowAsync(() => probe.ExecuteAsync("SELECT id FROM tasks WHERE id = @laterId FOR UPDATE NOWAIT", new { laterId }),
                "the write holds the later row while it waits for the earlier one");
        }

        Assert.That(writing.IsCompleted, Is.False, "the write should wait for the earlier row");
        await held.CommitAsync();
        await writing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // The write is under way once some other backend of this database waits on a lock.
    private async Task WaitUntilWaitingForALockAsync()
    {
        await using var watcher = OpenRaw();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await watcher.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()") == 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the write never waited for the held row");
            await Task.Delay(50);
        }
    }
}
