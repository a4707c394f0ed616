using Carrot.Records;
using Carrot.Tests.Integration.Storage;

namespace Carrot.Tests.Isolation;

/// <summary>A worker's isolation is stored with it (migration 008), on both engines.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class WorkerIsolationStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    [Test]
    public async Task AWorkerAddedWithoutAnIsolation_RunsInProcess_AndTheDefaultWorkerToo()
    {
        var added = await Workers.AddAsync("plain", 1, "", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(added.Isolation, Is.EqualTo(WorkerIsolation.InProcess));
            Assert.That((await Workers.GetAsync(WorkerRecord.DefaultName, CancellationToken.None))!.Isolation, Is.EqualTo(WorkerIsolation.InProcess));
        });
    }

    [Test]
    public async Task AWorkerAddedWithProcessIsolation_IsReadBackSo_AndAnUpdateWithoutOneKeepsIt()
    {
        await Workers.AddAsync("untrusted", 2, "", WorkerIsolation.Process, CancellationToken.None);

        var updated = await Workers.UpdateAsync("untrusted", 3, null, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(updated.Isolation, Is.EqualTo(WorkerIsolation.Process));
            Assert.That(updated.Concurrency, Is.EqualTo(3));
            Assert.That((await Workers.ListAsync(CancellationToken.None)).Single(w => w.Name == "untrusted").Isolation, Is.EqualTo(WorkerIsolation.Process));
        });
    }

    [Test]
    public async Task UpdateAsync_ChangesTheIsolation_BothWays()
    {
        await Workers.AddAsync("files", 1, "", CancellationToken.None);

        var toProcess = await Workers.UpdateAsync("files", null, null, WorkerIsolation.Process, CancellationToken.None);
        var back = await Workers.UpdateAsync("files", null, null, WorkerIsolation.InProcess, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(toProcess.Isolation, Is.EqualTo(WorkerIsolation.Process));
            Assert.That(back.Isolation, Is.EqualTo(WorkerIsolation.InProcess));
        });
    }
}
