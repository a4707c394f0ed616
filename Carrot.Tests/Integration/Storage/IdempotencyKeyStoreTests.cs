using Carrot.Storage;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>Idempotency keys on a real SQLite file: the window rule, the key moving on, bulk, and concurrent producers.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
[Category("Integration")]
public sealed class IdempotencyKeyStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    [Test]
    public async Task ASecondInsertWithTheKey_WhileTheFirstIsUnfinished_ReturnsTheFirst_AndWritesNothing()
    {
        var first = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);
        Clock.Advance(TimeSpan.FromDays(30));

        var second = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);

        Assert.That(first.Duplicate, Is.False);
        Assert.That(second, Is.EqualTo(new InsertedTask(first.Id, Duplicate: true)));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1));
        Assert.That((await Tasks.GetAsync(first.Id, None))!.Key, Is.EqualTo("order-1"));
    }

    [Test]
    public async Task WithinTheWindowAfterItFinished_TheFirstIsReturned_AfterIt_ANewTaskTakesTheKey()
    {
        var first = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);
        var claim = (await Tasks.TryClaimAsync(first.Id, "default", "d1", "host:1", TimeSpan.FromMinutes(1), None))!;
        await Tasks.CompleteAsync(claim, TaskOutcome.Succeeded("1"), [], None);
        Clock.Advance(Window - TimeSpan.FromSeconds(1));

        var within = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);

        Assert.That(within, Is.EqualTo(new InsertedTask(first.Id, Duplicate: true)));
        Assert.That(after.Duplicate, Is.False);
        Assert.That(after.Id, Is.Not.EqualTo(first.Id));
        Assert.That((await Tasks.GetAsync(first.Id, None))!.Key, Is.Null, "the key moved to the new task");
        Assert.That((await Tasks.GetAsync(after.Id, None))!.Key, Is.EqualTo("order-1"));
    }

    [Test]
    public async Task InsertMany_ReturnsTheHolderForAKnownKey_AndInsertsTheRest_InOneTransaction()
    {
        var first = await Tasks.InsertOrFindAsync(Keyed("order-1"), Window, None);

        var batch = await Tasks.InsertOrFindManyAsync([Keyed("order-0"), Keyed("order-1"), NewTask()], Window, None);

        Assert.That(batch.Select(t => t.Duplicate), Is.EqualTo(new[] { false, true, false }));
        Assert.That(batch[1].Id, Is.EqualTo(first.Id));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.EqualTo(3));
    }

    [Test]
    public async Task ConcurrentProducers_WithOneKey_RecordOneTask_AndAllGetItsId()
    {
        const int producers = 8;
        using var start = new ManualResetEventSlim();

        // Each producer has its own connections, as separate processes would; they meet only in the SQLite file.
        var attempts = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            var store = new TaskStore(OpenAnotherDatabase(), Clock);
            start.Wait();
            return await store.InsertOrFindAsync(Keyed("order-1"), Window, None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.That(results.Count(r => !r.Duplicate), Is.EqualTo(1));
        Assert.That(results.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1));
    }

    [Test]
    public void TheUniqueIndex_RefusesASecondHolder_EvenWrittenBehindTheStoresBack()
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, max_attempts, idempotency_key, created_at)
            VALUES ('MyLib.Jobs.Bark', '[]', '{}', 'default', 'queued', 0, 3, 'k', 0), ('MyLib.Jobs.Bark', '[]', '{}', 'default', 'queued', 0, 3, 'k', 0)
            """;

        Assert.Throws(Is.InstanceOf<System.Data.Common.DbException>(), () => command.ExecuteNonQuery());
    }

    private static NewTask Keyed(string key) => NewTask() with { IdempotencyKey = key };
}
