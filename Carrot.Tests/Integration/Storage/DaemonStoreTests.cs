using Carrot.Storage;
using Carrot.Tasks;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class DaemonStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(15);
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task RegisterAsync_MakesTheDaemonAlive()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 4242, "0.1.0", None);

        var alive = await Daemons.ListAliveAsync(AliveWithin, None);

        Assert.That(alive, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(alive[0].Id, Is.EqualTo("d-1"));
            Assert.That(alive[0].Host, Is.EqualTo("host-a"));
            Assert.That(alive[0].Pid, Is.EqualTo(4242));
            Assert.That(alive[0].Version, Is.EqualTo("0.1.0"));
            Assert.That(alive[0].StartedAt, Is.EqualTo(Clock.Now));
            Assert.That(alive[0].HeartbeatAt, Is.EqualTo(Clock.Now));
            Assert.That(alive[0].StoppedAt, Is.Null);
            Assert.That(alive[0].RunningTasks, Is.Zero);
        });
    }

    [Test]
    public async Task ListAliveAsync_LeavesOutADaemonWhoseHeartbeatIsOld()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        Clock.Advance(AliveWithin + TimeSpan.FromMilliseconds(1));

        Assert.That(await Daemons.ListAliveAsync(AliveWithin, None), Is.Empty);
    }

    [Test]
    public async Task HeartbeatAsync_KeepsTheDaemonAlive()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        var started = Clock.Now;
        Clock.Advance(AliveWithin);
        await Daemons.HeartbeatAsync("d-1", Lease, [], [], None);
        Clock.Advance(AliveWithin);

        var alive = await Daemons.ListAliveAsync(AliveWithin, None);

        Assert.That(alive.Select(d => (d.Id, d.StartedAt, d.HeartbeatAt)), Is.EqualTo(((string, DateTimeOffset, DateTimeOffset)[])[("d-1", started, started + AliveWithin)]));
    }

    [Test]
    public async Task HeartbeatAsync_RenewsOnlyItsOwnLeases()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        await Daemons.RegisterAsync("d-2", "host-b", "host-b", 2, "0.1.0", None);
        var mine = await InsertAndClaimAsync("d-1");
        var theirs = await InsertAndClaimAsync("d-2");
        Clock.Advance(TimeSpan.FromSeconds(50));

        await Daemons.HeartbeatAsync("d-1", Lease, [mine], [], None);
        Clock.Advance(TimeSpan.FromSeconds(20));
        var rescued = await Tasks.RescueExpiredAsync(None);

        Assert.Multiple(async () =>
        {
            Assert.That(rescued.Requeued, Is.EqualTo(1));
            Assert.That((await Tasks.GetAsync(mine, None))!.State, Is.EqualTo(TaskState.Running));
            Assert.That((await Tasks.GetAsync(theirs, None))!.State, Is.EqualTo(TaskState.Queued));
        });
    }

    [Test]
    public async Task HeartbeatAsync_DoesNotRenewARunningRowTheDaemonNoLongerHolds_SoItIsRescued()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        var held = await InsertAndClaimAsync("d-1");
        var stranded = await InsertAndClaimAsync("d-1");
        Clock.Advance(TimeSpan.FromSeconds(50));

        await Daemons.HeartbeatAsync("d-1", Lease, [held], [], None);
        Clock.Advance(TimeSpan.FromSeconds(20));
        var rescued = await Tasks.RescueExpiredAsync(None);

        Assert.Multiple(async () =>
        {
            Assert.That(rescued.Requeued, Is.EqualTo(1));
            Assert.That((await Tasks.GetAsync(held, None))!.State, Is.EqualTo(TaskState.Running));
            Assert.That((await Tasks.GetAsync(stranded, None))!.State, Is.EqualTo(TaskState.Queued));
        });
    }

    [Test]
    public async Task HeartbeatAsync_DoesNotRenewAFinishedTasksLease()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        var id = await Tasks.InsertAsync(NewTask(), None);
        var claim = await Tasks.TryClaimAsync(id, "default", "d-1", "host-a:1", Lease, None);
        await Tasks.CompleteAsync(claim!, TaskOutcome.Succeeded("1"), [], None);

        await Daemons.HeartbeatAsync("d-1", Lease, [], [], None);

        Assert.That(Scalar<long?>("SELECT lease_expires_at FROM tasks WHERE id = @id", new { id }), Is.Null);
    }

    [Test]
    public async Task ListAliveAsync_CountsTheTasksEachDaemonRuns()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Daemons.RegisterAsync("d-2", "host-b", "host-b", 2, "0.1.0", None);
        await InsertAndClaimAsync("d-1");
        await InsertAndClaimAsync("d-1");
        await InsertAndClaimAsync("d-2");
        await Tasks.InsertAsync(NewTask(), None);

        var alive = await Daemons.ListAliveAsync(AliveWithin, None);

        Assert.That(alive.Select(d => (d.Id, d.RunningTasks)), Is.EqualTo(((string, int)[])[("d-1", 2), ("d-2", 1)]));
    }

    [Test]
    public async Task MarkStoppedAsync_TakesTheDaemonOffTheAliveList()
    {
        await Daemons.RegisterAsync("d-1", "host-a", "host-a", 1, "0.1.0", None);
        await Daemons.RegisterAsync("d-2", "host-b", "host-b", 2, "0.1.0", None);
        Clock.Advance(TimeSpan.FromSeconds(3));

        await Daemons.MarkStoppedAsync("d-1", None);

        Assert.Multiple(async () =>
        {
            Assert.That((await Daemons.ListAliveAsync(AliveWithin, None)).Select(d => d.Id), Is.EqualTo((string[])["d-2"]));
            Assert.That(Scalar<long?>("SELECT stopped_at FROM daemons WHERE id = 'd-1'"), Is.EqualTo(Clock.Now.ToUnixTimeMilliseconds()));
        });
    }

    private async Task<long> InsertAndClaimAsync(string owner)
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        Assert.That(await Tasks.TryClaimAsync(id, "default", owner, $"{owner}:1", Lease, None), Is.Not.Null);
        return id;
    }
}
