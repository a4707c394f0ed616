using Carrot.Errors;
using Carrot.Records;
using Carrot.Scheduling;
using Carrot.Storage;
using Carrot.Tasks;
using Dapper;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>No task that can never run: a worker that does not exist gets no task, no schedule and no retry.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
[Category("Integration")]
public sealed class MissingWorkerStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public void Insert_ForAWorkerThatDoesNotExist_IsRefused_InTheInsertingTransaction()
    {
        var error = Assert.ThrowsAsync<CarrotInputException>(() => Tasks.InsertAsync(NewTask(worker: "gone"), None));

        Assert.That(error!.Message, Does.StartWith("There is no worker named 'gone'"));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public void InsertMany_WithOneMissingWorker_WritesNothing_AndNamesTheRequest()
    {
        var error = Assert.ThrowsAsync<CarrotInputException>(() => Tasks.InsertManyAsync([NewTask(), NewTask(worker: "gone")], None));

        Assert.That(error!.BatchIndex, Is.EqualTo(1));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task RemoveWorker_IsRefused_WhileASchedulesNamesIt_AndAllowedOnceItIsGone()
    {
        await Workers.AddAsync("files", 1, "", None);
        await AddScheduleAsync("nightly", "files");

        var error = Assert.ThrowsAsync<CarrotInputException>(() => Workers.RemoveAsync("files", None));

        Assert.That(error!.Message, Does.Contain("1 schedule(s) (nightly)").And.Contain("not removed"));
        Assert.That(await Workers.GetAsync("files", None), Is.Not.Null);
        await Schedules.RemoveAsync("nightly", None);
        await Workers.RemoveAsync("files", None);
        Assert.That(await Workers.GetAsync("files", None), Is.Null);
    }

    [Test]
    public void AddSchedule_ForAWorkerThatDoesNotExist_IsRefused()
    {
        Assert.ThrowsAsync<CarrotInputException>(() => AddScheduleAsync("nightly", "gone"));

        Assert.That(Scalar<long>("SELECT count(*) FROM schedules"), Is.Zero);
    }

    [Test]
    public async Task FiringASchedule_WhoseWorkerVanished_EnqueuesNothing_PausesIt_AndReportsIt()
    {
        await Workers.AddAsync("files", 1, "", None);
        await AddScheduleAsync("nightly", "files");
        DeleteWorkerBehindCarrotsBack("files");
        Clock.Advance(TimeSpan.FromMinutes(2));

        var fired = await Schedules.FireDueAsync(Recurrence.NextAfterFiring, _ => 3, None);

        Assert.That(fired.Tasks, Is.Empty);
        Assert.That(fired.PausedWithoutWorker.Select(s => s.Name), Is.EqualTo(new[] { "nightly" }));
        Assert.That((await Schedules.GetRequiredAsync("nightly", None)).Paused, Is.True);
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task RunNow_OfAScheduleWhoseWorkerVanished_IsRefused()
    {
        await Workers.AddAsync("files", 1, "", None);
        var schedule = await AddScheduleAsync("nightly", "files");
        DeleteWorkerBehindCarrotsBack("files");

        var error = Assert.ThrowsAsync<CarrotInputException>(() => Schedules.RunNowAsync(schedule, 3, None));

        Assert.That(error!.Message, Does.Contain("worker 'files', which no longer exists"));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task Retry_OfATaskWhoseWorkerWasRemoved_LeavesItFailed_AndSaysWhichWorker()
    {
        await Workers.AddAsync("files", 1, "", None);
        var failed = await FailAsync(NewTask(worker: "files"));
        var failedOnDefault = await FailAsync(NewTask());
        await Workers.RemoveAsync("files", None);

        var one = await Tasks.RetryAsync(failed, worker: null, defaultRetries: 2, None);
        var all = await Tasks.RetryAsync(id: null, worker: null, defaultRetries: 2, None);

        Assert.That(one.Retried, Is.Empty);
        Assert.That(one.MissingWorkers, Is.EqualTo(new[] { "files" }));
        Assert.That(all.Retried.Select(t => t.Id), Is.EqualTo(new[] { failedOnDefault }));
        Assert.That(all.LeftWithoutWorker, Is.EqualTo(1));
        Assert.That((await Tasks.GetAsync(failed, None))!.State, Is.EqualTo(TaskState.Failed));
    }

    private Task<ScheduleRecord> AddScheduleAsync(string name, string worker) =>
        Schedules.AddAsync(new ScheduleRequest { Name = name, Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""", Worker = worker, Every = TimeSpan.FromMinutes(1) }, Clock.Now + TimeSpan.FromMinutes(1), None);

    // As an old database or an operator's SQL could leave it: a schedule naming a worker that is gone.
    private void DeleteWorkerBehindCarrotsBack(string worker)
    {
        using var connection = OpenRaw();
        connection.Execute("DELETE FROM workers WHERE name = @worker", new { worker });
    }

    private async Task<long> FailAsync(NewTask task)
    {
        var id = await Tasks.InsertAsync(task with { MaxAttempts = 1 }, None);
        var claim = (await Tasks.TryClaimAsync(id, task.Worker, "daemon-1", "host-a:1", TimeSpan.FromMinutes(1), None))!;
        await Tasks.CompleteAsync(claim, TaskOutcome.Failed("System.Exception", "boom"), [], None);
        return id;
    }
}
