using Carrot.Records;
using Carrot.Tests.Integration.Storage;

namespace Carrot.Tests.Isolation;

/// <summary>A worker's own runner recycle limits are stored with it (migration 012), on both engines.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class WorkerRunnerLimitsStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    [Test]
    public async Task AWorkerAddedWithoutLimits_HasTheDaemonDefaults_AndTheDefaultWorkerToo()
    {
        var added = await Workers.AddAsync("plain", 1, "", WorkerIsolation.Process, CancellationToken.None);
        var builtIn = await Workers.GetAsync(WorkerRecord.DefaultName, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(added.RunnerMaxTasks, Is.Null);
            Assert.That(added.RunnerMaxMemoryMiB, Is.Null);
            Assert.That(builtIn!.RunnerMaxTasks, Is.Null);
            Assert.That(builtIn.RunnerMaxMemoryMiB, Is.Null);
        });
    }

    [Test]
    public async Task AWorkerAddedWithLimits_IsReadBackWithThem_ByGetAndList()
    {
        await Workers.AddAsync("reports", 2, "", WorkerIsolation.Process, 50, 1024, CancellationToken.None);

        var got = await Workers.GetAsync("reports", CancellationToken.None);
        var listed = (await Workers.ListAsync(CancellationToken.None)).Single(w => w.Name == "reports");

        Assert.Multiple(() =>
        {
            Assert.That((got!.RunnerMaxTasks, got.RunnerMaxMemoryMiB), Is.EqualTo(((int?)50, (int?)1024)));
            Assert.That((listed.RunnerMaxTasks, listed.RunnerMaxMemoryMiB), Is.EqualTo(((int?)50, (int?)1024)));
        });
    }

    [Test]
    public async Task UpdateAsync_SetsALimit_LeavesTheOtherAlone_AndClearsItBackToTheDefault()
    {
        await Workers.AddAsync("files", 1, "", WorkerIsolation.Process, 10, 256, CancellationToken.None);

        var tasksChanged = await Workers.UpdateAsync("files", null, null, null, RunnerLimitChange.To(0), null, CancellationToken.None);
        var memoryCleared = await Workers.UpdateAsync("files", null, null, null, null, RunnerLimitChange.ToDaemonDefault, CancellationToken.None);
        var otherChange = await Workers.UpdateAsync("files", 3, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((tasksChanged.RunnerMaxTasks, tasksChanged.RunnerMaxMemoryMiB), Is.EqualTo(((int?)0, (int?)256)), "0 (no limit) is a value, not the default");
            Assert.That((memoryCleared.RunnerMaxTasks, memoryCleared.RunnerMaxMemoryMiB), Is.EqualTo(((int?)0, (int?)null)));
            Assert.That((otherChange.RunnerMaxTasks, otherChange.RunnerMaxMemoryMiB, otherChange.Concurrency), Is.EqualTo(((int?)0, (int?)null, 3)), "a change of something else keeps the limits");
        });
    }
}
