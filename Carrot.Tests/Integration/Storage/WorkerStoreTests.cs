using Carrot.Errors;
using Carrot.Tasks;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class WorkerStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    [Test]
    public async Task AddAsync_RecordsTheWorker_WithTheClocksTime()
    {
        var added = await Workers.AddAsync("video", 2, "ffmpeg jobs", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(added.Name, Is.EqualTo("video"));
            Assert.That(added.Concurrency, Is.EqualTo(2));
            Assert.That(added.Description, Is.EqualTo("ffmpeg jobs"));
            Assert.That(added.CreatedAt, Is.EqualTo(Clock.Now));
            Assert.That(added.UpdatedAt, Is.EqualTo(Clock.Now));
        });
        Assert.That(await Workers.GetAsync("video", CancellationToken.None), Is.EqualTo(added));
    }

    [Test]
    public async Task ListAsync_ReturnsEveryWorker_ByName()
    {
        await Workers.AddAsync("zeta", 1, "", CancellationToken.None);
        await Workers.AddAsync("alpha", 1, "", CancellationToken.None);

        var names = (await Workers.ListAsync(CancellationToken.None)).Select(w => w.Name);

        Assert.That(names, Is.EqualTo((string[])["alpha", "default", "zeta"]));
    }

    [Test]
    public async Task AddAsync_RefusesADuplicateName_AndKeepsTheOriginal()
    {
        await Workers.AddAsync("video", 2, "first", CancellationToken.None);

        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.AddAsync("video", 9, "second", CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("A worker named 'video' already exists").And.Contain("carrot workers update video"));
        var kept = await Workers.GetAsync("video", CancellationToken.None);
        Assert.That((kept!.Concurrency, kept.Description), Is.EqualTo((2, "first")));
    }

    [Test]
    public void AddAsync_RefusesTheDefaultName()
    {
        Assert.ThrowsAsync<CarrotInputException>(() => Workers.AddAsync("default", 1, "", CancellationToken.None));
    }

    [Test]
    public void AddAsync_LeavesConcurrencyBelowOne_ToTheTablesCheck()
    {
        // WorkerRules refuses it first in CarrotClient; the table refuses it too.
        Assert.ThrowsAsync<CarrotStoreException>(() => Workers.AddAsync("video", 0, "", CancellationToken.None));
    }

    [Test]
    public async Task UpdateAsync_ChangesOnlyWhatIsGiven()
    {
        var added = await Workers.AddAsync("video", 2, "ffmpeg jobs", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(5));

        var concurrencyOnly = await Workers.UpdateAsync("video", 8, null, CancellationToken.None);
        var descriptionOnly = await Workers.UpdateAsync("video", null, "encodes", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((concurrencyOnly.Concurrency, concurrencyOnly.Description), Is.EqualTo((8, "ffmpeg jobs")));
            Assert.That((descriptionOnly.Concurrency, descriptionOnly.Description), Is.EqualTo((8, "encodes")));
            Assert.That(descriptionOnly.CreatedAt, Is.EqualTo(added.CreatedAt));
            Assert.That(descriptionOnly.UpdatedAt, Is.EqualTo(Clock.Now));
        });
    }

    [Test]
    public async Task UpdateAsync_CanChangeTheDefaultWorker()
    {
        var updated = await Workers.UpdateAsync("default", 16, null, CancellationToken.None);

        Assert.That(updated.Concurrency, Is.EqualTo(16));
    }

    [Test]
    public void UpdateAsync_RefusesAnUnknownWorker()
    {
        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.UpdateAsync("ghost", 2, null, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("There is no worker named 'ghost'. Create it with 'carrot workers add ghost', or see 'carrot workers list'."));
    }

    [Test]
    public async Task RemoveAsync_RemovesAnIdleWorker()
    {
        await Workers.AddAsync("video", 2, "", CancellationToken.None);

        await Workers.RemoveAsync("video", CancellationToken.None);

        Assert.That(await Workers.GetAsync("video", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task RemoveAsync_RefusesTheDefaultWorker()
    {
        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.RemoveAsync("default", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The 'default' worker cannot be removed"));
        Assert.That(await Workers.GetAsync("default", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task RemoveAsync_RefusesAWorkerWithQueuedTasks()
    {
        await Workers.AddAsync("video", 2, "", CancellationToken.None);
        await Tasks.InsertAsync(NewTask(worker: "video"), CancellationToken.None);
        await Tasks.InsertAsync(NewTask(worker: "video"), CancellationToken.None);

        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.RemoveAsync("video", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Worker 'video' still has 2 scheduled, queued or running task(s); it was not removed."));
        Assert.That(await Workers.GetAsync("video", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task RemoveAsync_RefusesAWorkerWithARunningTask()
    {
        await Workers.AddAsync("video", 2, "", CancellationToken.None);
        var id = await Tasks.InsertAsync(NewTask(worker: "video"), CancellationToken.None);
        await Tasks.TryClaimAsync(id, "video", "d1", "host:1", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.ThrowsAsync<CarrotInputException>(() => Workers.RemoveAsync("video", CancellationToken.None));
    }

    [Test]
    public async Task RemoveAsync_KeepsFinishedTasks_ForTheRecord()
    {
        await Workers.AddAsync("video", 2, "", CancellationToken.None);
        var id = await Tasks.InsertAsync(NewTask(worker: "video"), CancellationToken.None);
        var claim = await Tasks.TryClaimAsync(id, "video", "d1", "host:1", TimeSpan.FromMinutes(1), CancellationToken.None);
        await Tasks.CompleteAsync(claim!, Carrot.Storage.TaskOutcome.Succeeded("1"), [], CancellationToken.None);

        await Workers.RemoveAsync("video", CancellationToken.None);

        var task = await Tasks.GetAsync(id, CancellationToken.None);
        Assert.That((task!.Worker, task.State), Is.EqualTo(("video", TaskState.Succeeded)));
    }

    [Test]
    public void RemoveAsync_RefusesAnUnknownWorker()
    {
        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.RemoveAsync("ghost", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("There is no worker named 'ghost'"));
    }
}
