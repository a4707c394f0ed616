using System.Diagnostics;
using Carrot.Errors;
using Dapper;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

[TestFixture]
public sealed class LockedDatabaseTests : StorageTestBase
{
    protected override int BusyTimeoutSeconds => 1;

    [Test]
    public async Task InsertAsync_GivesUpWithALockedError_WhenAnotherWriterHoldsTheLock_AndWritesNothing()
    {
        var stopwatch = new Stopwatch();
        using (var holder = OpenRaw())
        {
            holder.Execute("BEGIN IMMEDIATE");

            stopwatch.Start();
            var error = Assert.ThrowsAsync<CarrotStoreException>(() => Tasks.InsertAsync(NewTask(), CancellationToken.None));
            stopwatch.Stop();

            Assert.Multiple(() =>
            {
                Assert.That(error!.Message, Does.Contain("locked").And.Contain("nothing was written").And.Contain("busyTimeoutSeconds"));
                Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)), "it waited for the busy timeout");
                Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            });
            holder.Execute("ROLLBACK");
        }

        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.Zero);
        Assert.That(await Tasks.InsertAsync(NewTask(), CancellationToken.None), Is.GreaterThan(0), "the store works again once the lock is gone");
    }

    [Test]
    public async Task InsertAsync_WaitsForAShortLock_AndThenWrites()
    {
        using var holder = OpenRaw();
        holder.Execute("BEGIN IMMEDIATE");
        var release = Task.Run(async () =>
        {
            await Task.Delay(200);
            holder.Execute("COMMIT");
        });

        var id = await Tasks.InsertAsync(NewTask(), CancellationToken.None);
        await release;

        Assert.That(await Tasks.GetAsync(id, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task GetAsync_ReadsWhileAnotherWriterHoldsTheLock()
    {
        var id = await Tasks.InsertAsync(NewTask(), CancellationToken.None);
        using var holder = OpenRaw();
        holder.Execute("BEGIN IMMEDIATE");
        holder.Execute("UPDATE tasks SET priority = 9");

        var task = await Tasks.GetAsync(id, CancellationToken.None);

        Assert.That(task!.Priority, Is.Zero, "WAL readers see the last committed state, without waiting");
        holder.Execute("ROLLBACK");
    }
}
