using Carrot.Records;
using Carrot.Scheduling;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Tests.Integration.Storage;

/// <summary>Recurring schedules on a real SQLite file: one task per occurrence, however many daemons fire them.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class ScheduleStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task DueSchedule_FiresOneLinkedTask_AndMovesToTheNextOccurrence()
    {
        var schedule = await AddEveryAsync("tick", TimeSpan.FromMinutes(5));
        Assert.That(await FireAsync(Schedules), Is.Empty, "not due yet");

        Clock.Advance(TimeSpan.FromMinutes(5));
        var fired = await FireAsync(Schedules);

        Assert.That(fired, Has.Count.EqualTo(1));
        var task = (await Tasks.GetAsync(fired[0].Id, None))!;
        var after = await Schedules.GetRequiredAsync("tick", None);
        Assert.Multiple(() =>
        {
            Assert.That(task.ScheduleId, Is.EqualTo(schedule.Id));
            Assert.That(task.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.RunAt, Is.EqualTo(schedule.NextRunAt), "the occurrence it was fired for");
            Assert.That(task.Kallable, Is.EqualTo("MyLib.Jobs.Bark"));
            Assert.That(after.NextRunAt, Is.EqualTo(schedule.NextRunAt.AddMinutes(5)));
            Assert.That(after.LastTaskId, Is.EqualTo(task.Id));
        });
    }

    [Test]
    public async Task TwoDaemonsFiringAtOnce_EnqueueExactlyOneTaskPerOccurrence()
    {
        await AddEveryAsync("tick", TimeSpan.FromSeconds(1));

        // A second daemon: its own connections to the same file.
        var other = new ScheduleStore(OpenAnotherDatabase(), Clock);
        var total = 0;
        for (var occurrence = 0; occurrence < 20; occurrence++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => FireAsync(i % 2 == 0 ? Schedules : other)));
            total += results.Sum(r => r.Count);
        }

        Assert.That(total, Is.EqualTo(20));
        Assert.That(Scalar<long>("SELECT count(*) FROM tasks"), Is.EqualTo(20));
        Assert.That(Scalar<long>("SELECT count(DISTINCT run_at) FROM tasks"), Is.EqualTo(20), "no occurrence fired twice");
    }

    [Test]
    public async Task MissedOccurrences_MakeOneCatchUpRun_NotABurst()
    {
        var schedule = await AddEveryAsync("tick", TimeSpan.FromMinutes(5));

        // Every daemon was down for an hour: twelve occurrences missed.
        Clock.Advance(TimeSpan.FromHours(1));
        var fired = await FireAsync(Schedules);
        var again = await FireAsync(Schedules);

        Assert.That(fired, Has.Count.EqualTo(1));
        Assert.That(again, Is.Empty);
        var after = await Schedules.GetRequiredAsync("tick", None);
        Assert.That(after.NextRunAt, Is.EqualTo(Clock.Now.AddMinutes(5)));
        Assert.That(schedule.NextRunAt, Is.LessThan(Clock.Now));
    }

    [Test]
    public async Task PausedSchedule_FiresNothing_AndResumingSkipsWhatWasMissed()
    {
        await AddEveryAsync("tick", TimeSpan.FromMinutes(5));
        await Schedules.SetPausedAsync("tick", paused: true, nextRunAt: null, None);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.That(await FireAsync(Schedules), Is.Empty);

        await Schedules.SetPausedAsync("tick", paused: false, Clock.Now.AddMinutes(5), None);
        Assert.That(await FireAsync(Schedules), Is.Empty);
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await FireAsync(Schedules), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RunNow_EnqueuesATask_WithoutMovingTheNextOccurrence()
    {
        var schedule = await AddEveryAsync("tick", TimeSpan.FromMinutes(5));

        var task = await Schedules.RunNowAsync(schedule, 3, None);

        Assert.That((await Tasks.GetAsync(task.Id, None))!.ScheduleId, Is.EqualTo(schedule.Id));
        Assert.That((await Schedules.GetRequiredAsync("tick", None)).NextRunAt, Is.EqualTo(schedule.NextRunAt));
    }

    [Test]
    public async Task DuplicateName_AndUnknownName_AreInputErrors()
    {
        await AddEveryAsync("tick", TimeSpan.FromMinutes(5));

        Assert.ThrowsAsync<Carrot.Errors.CarrotInputException>(() => AddEveryAsync("tick", TimeSpan.FromMinutes(1)));
        Assert.ThrowsAsync<Carrot.Errors.CarrotInputException>(() => Schedules.RemoveAsync("nope", None));
    }

    [Test]
    public async Task RemovingASchedule_KeepsItsTasks_Unlinked()
    {
        await AddEveryAsync("tick", TimeSpan.FromMinutes(5));
        var task = await Schedules.RunNowAsync(await Schedules.GetRequiredAsync("tick", None), 3, None);

        await Schedules.RemoveAsync("tick", None);

        var kept = await Tasks.GetAsync(task.Id, None);
        Assert.That(kept, Is.Not.Null);
        Assert.That(kept!.ScheduleId, Is.Null);
    }

    private Task<ScheduleRecord> AddEveryAsync(string name, TimeSpan every) =>
        Schedules.AddAsync(new ScheduleRequest { Name = name, Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""", Every = every }, Clock.Now + every, None);

    private static async Task<IReadOnlyList<UnpublishedTask>> FireAsync(ScheduleStore store) =>
        (await store.FireDueAsync(Recurrence.NextAfterFiring, _ => 3, None)).Tasks;
}
