using Carrot.Storage;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// A worker's concurrency is a limit over every daemon, kept by the store at the claim: the seed's fileprocessor with
/// concurrency 1 runs one task at a time, not one per host.
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class WorkerSlotsStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Test]
    public async Task AClaimPastTheConcurrency_OfAnotherDaemon_FindsNothing_UntilASlotFrees()
    {
        await Workers.AddAsync("files", 1, "", None);
        var first = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        var second = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        var otherHost = new TaskStore(OpenAnotherDatabase(), Clock);

        var running = await Tasks.TryClaimAsync(first, "files", "daemon-a", "host-a:1", Lease, None);
        Assert.That(running, Is.Not.Null);
        Assert.Multiple(async () =>
        {
            Assert.That(await otherHost.TryClaimAsync(second, "files", "daemon-b", "host-b:1", Lease, None), Is.Null);
            Assert.That(await otherHost.IsWorkerFullAsync("files", None), Is.True);
            Assert.That((await Tasks.GetAsync(second, None))!.Attempts, Is.Zero, "a refused claim counts no attempt");
        });

        await Tasks.CompleteAsync(running!, TaskOutcome.Succeeded("1"), [], None);

        Assert.That(await otherHost.IsWorkerFullAsync("files", None), Is.False);
        Assert.That(await otherHost.TryClaimAsync(second, "files", "daemon-b", "host-b:1", Lease, None), Is.Not.Null);
    }

    [Test]
    public async Task RaisingTheConcurrency_OpensSlots_AtOnce()
    {
        await Workers.AddAsync("files", 1, "", None);
        var ids = await Tasks.InsertManyAsync([NewTask(worker: "files"), NewTask(worker: "files")], None);
        await Tasks.TryClaimAsync(ids[0], "files", "daemon-a", "host-a:1", Lease, None);
        Assert.That(await Tasks.TryClaimAsync(ids[1], "files", "daemon-a", "host-a:1", Lease, None), Is.Null);

        await Workers.UpdateAsync("files", 2, null, None);

        Assert.That(await Tasks.TryClaimAsync(ids[1], "files", "daemon-a", "host-a:1", Lease, None), Is.Not.Null);
    }

    [Test]
    public async Task ADaemonThatDiedHoldingSlots_GivesThemBack_WhenItsLeasesExpire()
    {
        await Workers.AddAsync("files", 1, "", None);
        var ids = await Tasks.InsertManyAsync([NewTask(worker: "files"), NewTask(worker: "files")], None);
        await Tasks.TryClaimAsync(ids[0], "files", "daemon-dead", "host-a:1", Lease, None);
        Assert.That(await Tasks.TryClaimAsync(ids[1], "files", "daemon-b", "host-b:1", Lease, None), Is.Null);

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.That((await Tasks.RescueExpiredAsync(None)).Requeued, Is.EqualTo(1));

        Assert.That(await Tasks.TryClaimAsync(ids[1], "files", "daemon-b", "host-b:1", Lease, None), Is.Not.Null);
    }

    [Test]
    public async Task ClaimsRacingFromSeveralDaemons_NeverTakeMoreSlotsThanTheConcurrency()
    {
        const int concurrency = 3;
        await Workers.AddAsync("files", concurrency, "", None);
        var ids = await Tasks.InsertManyAsync(Enumerable.Range(0, 40).Select(_ => NewTask(worker: "files")).ToList(), None);
        var daemons = Enumerable.Range(0, 4).Select(_ => new TaskStore(OpenAnotherDatabase(), Clock)).ToList();
        using var start = new ManualResetEventSlim();

        var claims = ids.Select((id, i) => Task.Run(async () =>
        {
            start.Wait();
            return await daemons[i % daemons.Count].TryClaimAsync(id, "files", $"daemon-{i % daemons.Count}", "h:1", Lease, None);
        })).ToList();
        start.Set();
        var claimed = (await Task.WhenAll(claims)).Count(c => c is not null);

        Assert.That(claimed, Is.EqualTo(concurrency));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks WHERE status = 'running'"), Is.EqualTo(concurrency));
    }
}
