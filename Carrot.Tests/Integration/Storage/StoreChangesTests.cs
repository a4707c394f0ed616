using Carrot.Storage;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// PostgreSQL announces cancel requests and worker changes (NOTIFY at commit) to listening daemons, so they act at
/// once instead of at their next poll; a change that rolls back is never announced.
/// </summary>
[TestFixture(StoreKind.Postgres)]
public sealed class StoreChangesTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task ACancelRequestForARunningTask_AndAWorkerChange_AreAnnouncedAtOnce()
    {
        var changes = new StoreChanges();
        using var stop = new CancellationTokenSource();
        // Waiting first: the listener may reach its first raise before it yields.
        var started = WaitRaisedAsync(changes.Workers, TimeSpan.FromSeconds(10), "listening started (everything is raised then)");
        var listening = Engine.ListenAsync(changes, stop.Token);
        await started;

        var id = await Tasks.InsertAsync(NewTask(), None);
        await Tasks.TryClaimAsync(id, "default", "daemon-a", "h:1", TimeSpan.FromMinutes(1), None);
        var cancel = WaitRaisedAsync(changes.CancelRequests, TimeSpan.FromSeconds(5), "the cancel request");
        await Tasks.CancelAsync(id, None);
        await cancel;

        var worker = WaitRaisedAsync(changes.Workers, TimeSpan.FromSeconds(5), "the new worker");
        await Workers.AddAsync("files", 2, "", None);
        await worker;

        Assert.That(Engine.NotifiesChanges, Is.True);
        await stop.CancelAsync();
        Assert.That(async () => await listening, Throws.InstanceOf<OperationCanceledException>());
    }

    private static async Task WaitRaisedAsync(ChangeSignal signal, TimeSpan within, string what) =>
        Assert.That(await signal.WaitAsync(within, TimeProvider.System, None), Is.True, $"{what} was not announced within {within.TotalSeconds} s");
}
