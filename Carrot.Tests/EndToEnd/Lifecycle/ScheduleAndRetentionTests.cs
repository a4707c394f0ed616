using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd.Lifecycle;

/// <summary>Recurring schedules from the CLI, run by two daemons at once; pruning by the daemon and on demand.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ScheduleAndRetentionTests : SandboxTest
{
    [Test]
    public async Task EverySecond_WithTwoDaemons_EnqueuesOneTaskPerOccurrence_LinkedToItsSchedule()
    {
        await Sandbox.StartDaemonAsync();
        await Sandbox.StartDaemonAsync();

        var add = await Sandbox.CarrotAsync("schedules", "add", "tick", "MyLib.Jobs.Bark", "--every", "1s", "--args", "[\"Rex\"]");
        await Task.Delay(TimeSpan.FromSeconds(6));
        var pause = await Sandbox.CarrotAsync("schedules", "pause", "tick");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var fired = await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        Assert.That(add.StdOut, Does.Contain("Added schedule 'tick' (every 1s)"));
        Assert.That(pause.ExitCode, Is.EqualTo(0), pause.Output);
        Assert.That(fired, Is.InRange(4, 7), "about one per second");
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(fired), "paused: nothing more");
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(DISTINCT run_at) FROM tasks"), Is.EqualTo(fired), "no occurrence fired twice");
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE schedule_id = (SELECT id FROM schedules WHERE name = 'tick')"), Is.EqualTo(fired));
        await using var client = await Sandbox.CreateClientAsync();
        for (var id = 1; id <= fired; id++)
        {
            Assert.That((await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20))).State, Is.EqualTo(TaskState.Succeeded));
        }

        var show = await Sandbox.CarrotAsync("schedules", "show", "tick");
        Assert.That(show.StdOut, Does.Contain("paused"));
        Assert.That(show.StdOut, Does.Contain("succeeded"));
    }

    [Test]
    public async Task MissedOccurrences_WhileNoDaemonRan_MakeOneCatchUpRun()
    {
        var add = await Sandbox.CarrotAsync("schedules", "add", "every5m", "MyLib.Jobs.Bark", "--cron", "*/5 * * * *", "--args", "[\"Rex\"]");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);

        // As if every daemon had been down for three hours.
        await Sandbox.ExecuteAsync("UPDATE schedules SET next_run_at = next_run_at - 3 * 3600 * 1000");
        await Sandbox.StartDaemonAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1));
        var next = await Sandbox.ScalarAsync<long>("SELECT next_run_at FROM schedules");
        Assert.That(DateTimeOffset.FromUnixTimeMilliseconds(next), Is.GreaterThan(DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task ScheduleCommands_ListRunNowResumeRemove_AndBadInputIsOneLine()
    {
        await Sandbox.StartDaemonAsync();
        await Sandbox.CarrotAsync("schedules", "add", "paris", "MyLib.Jobs.Bark", "--cron", "0 9 * * 1-5", "--tz", "Europe/Paris", "--args", "[\"Rex\"]");

        var list = await Sandbox.CarrotAsync("schedules", "list");
        var runNow = await Sandbox.CarrotAsync("schedules", "run-now", "paris");
        await using var client = await Sandbox.CreateClientAsync();
        var task = await client.WaitForCompletionAsync(long.Parse(runNow.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(20));
        var json = await Sandbox.CarrotAsync("schedules", "list", "--json");
        var remove = await Sandbox.CarrotAsync("schedules", "remove", "paris");

        Assert.That(list.StdOut, Does.Contain("cron \"0 9 * * 1-5\" Europe/Paris"));
        Assert.That(task.State, Is.EqualTo(TaskState.Succeeded));
        Assert.That(task.ScheduleId, Is.Not.Null);
        Assert.That(json.StdOut, Does.Contain("\"timeZone\": \"Europe/Paris\""));
        Assert.That(remove.ExitCode, Is.EqualTo(0));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1), "its task stays");

        foreach (var args in new[]
        {
            new[] { "schedules", "add", "x", "MyLib.Jobs.Bark", "--cron", "61 * * * *", "--args", "[\"Rex\"]" },
            new[] { "schedules", "add", "x", "MyLib.Jobs.Bark", "--cron", "0 9 * * *", "--tz", "Mars/Olympus", "--args", "[\"Rex\"]" },
            new[] { "schedules", "add", "x", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]" },
            new[] { "schedules", "add", "x", "MyLib.Jobs.Nope", "--every", "1m" },
            new[] { "schedules", "add", "x", "MyLib.Jobs.Bark", "--every", "1m", "--args", "[\"Rex\"]", "--worker", "ghost" },
            new[] { "schedules", "pause", "ghost" },
            new[] { "schedules", "run-now", "ghost" },
        })
        {
            var run = await Sandbox.CarrotAsync(args);
            Assert.That(run.ExitCode, Is.EqualTo(2), string.Join(' ', args) + ": " + run.Output);
            Assert.That(run.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1), string.Join(' ', args));
        }

        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM schedules"), Is.Zero);
    }

    [Test]
    public async Task PurgeCommand_DeletesOldFinishedTasks_AndSaysHowMany()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        for (var i = 0; i < 5; i++)
        {
            await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        }

        for (var id = 1; id <= 5; id++)
        {
            await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));
        }

        await Sandbox.ExecuteAsync("UPDATE tasks SET finished_at = finished_at - 10 * 86400000 WHERE id <= 3");

        var purge = await Sandbox.CarrotAsync("tasks", "purge", "--older-than", "7d", "--status", "succeeded");
        var refused = await Sandbox.CarrotAsync("tasks", "purge", "--older-than", "1d", "--status", "queued");
        var missing = await Sandbox.CarrotAsync("tasks", "purge");

        Assert.That(purge.ExitCode, Is.EqualTo(0), purge.Output);
        Assert.That(purge.StdOut, Does.StartWith("Purged 3 succeeded task(s)"));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(2));
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(missing.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task Daemon_PrunesFinishedTasksPastTheirRetention()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["succeededRetentionDays"] = 7, ["failedRetentionDays"] = 0 });
        var first = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        await client.EnqueueAsync("MyLib.Jobs.Explode");
        await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"]);
        for (var id = 1; id <= 3; id++)
        {
            await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        }

        await first.StopAsync(TimeSpan.FromSeconds(20));
        await Sandbox.ExecuteAsync("UPDATE tasks SET finished_at = finished_at - 30 * 86400000 WHERE id IN (1, 2)");

        var second = await Sandbox.StartDaemonAsync();
        await second.WaitForLogAsync("Pruned 1 succeeded task(s)", TimeSpan.FromSeconds(10));

        Assert.That(await client.GetTaskAsync(1), Is.Null, "succeeded 30 days ago, kept 7");
        Assert.That(await client.GetTaskAsync(2), Is.Not.Null, "failed tasks are kept forever with failedRetentionDays 0");
        Assert.That(await client.GetTaskAsync(3), Is.Not.Null, "recent");
    }
}
