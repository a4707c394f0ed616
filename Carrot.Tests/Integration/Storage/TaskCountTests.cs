using Carrot.Storage;
using Carrot.Tasks;
using Dapper;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>The per-worker, per-state counts that carrot status reads are kept exact by triggers (migration 004).</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class TaskCountTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Counts_FollowInsertsClaimsOutcomesAndDeletes()
    {
        await Workers.AddAsync("other", 1, "", None);
        var ids = await Tasks.InsertManyAsync([Queued("default"), Queued("default"), Queued("other")], None);
        var claim = await Tasks.TryClaimAsync(ids[0], "default", "me", "host:1", TimeSpan.FromMinutes(1), None);
        await Tasks.CompleteAsync(claim!, TaskOutcome.Succeeded("1"), [], None);
        await Tasks.TryClaimAsync(ids[2], "other", "me", "host:1", TimeSpan.FromMinutes(1), None);

        var counts = await Tasks.CountByWorkerAndStateAsync(None);

        Assert.That(counts, Is.EquivalentTo(new Dictionary<(string, TaskState), long>
        {
            [("default", TaskState.Succeeded)] = 1,
            [("default", TaskState.Queued)] = 1,
            [("other", TaskState.Running)] = 1,
        }));
        await using (var connection = OpenRaw())
        {
            await connection.ExecuteAsync("DELETE FROM tasks WHERE id = @id", new { id = ids[0] });
        }

        Assert.That(await Tasks.CountByWorkerAndStateAsync(None), Does.Not.ContainKey(("default", TaskState.Succeeded)));
    }

    [Test]
    public async Task Counts_MatchAGroupByOverTheTable()
    {
        var ids = await Tasks.InsertManyAsync(Enumerable.Range(0, 50).Select(_ => Queued("default")).ToList(), None);
        foreach (var id in ids.Take(20))
        {
            var claim = await Tasks.TryClaimAsync(id, "default", "me", "host:1", TimeSpan.FromMinutes(1), None);
            await Tasks.CompleteAsync(claim!, id % 2 == 0 ? TaskOutcome.Succeeded(null) : TaskOutcome.Failed("E", "m"), [], None);
        }

        await using var connection = OpenRaw();
        var expected = (await connection.QueryAsync<(string Worker, string Status, long Count)>("SELECT worker, status, count(*) FROM tasks GROUP BY worker, status"))
            .ToDictionary(r => (r.Worker, TaskStateNames.Parse(r.Status)), r => r.Count);

        Assert.That(await Tasks.CountByWorkerAndStateAsync(None), Is.EquivalentTo(expected));
    }

    private static NewTask Queued(string worker) => new("MyLib.Jobs.Bark", """["Rex"]""", "{}", worker, 0, 3);
}
