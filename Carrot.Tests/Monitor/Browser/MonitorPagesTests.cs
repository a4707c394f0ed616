using System.Text.RegularExpressions;
using Carrot.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Carrot.Tests.Monitor.Browser;

/// <summary>What an operator does in the monitor, in a real browser against a real carrotd, broker and database.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed partial class MonitorPagesTests(StoreKind kind) : MonitorBrowserTest(kind)
{
    [Test]
    public async Task Overview_ShowsTheLiveDaemon_TheWorkers_AndTheCharts()
    {
        await StartDaemonWithMonitorAsync();
        await EnqueueAndWaitAsync("MyLib.Jobs.Bark", """["Rex"]""");
        await EnqueueAndWaitAsync("MyLib.Jobs.Explode", """["on purpose"]""");
        await using var context = await Browser.NewContextAsync();

        var page = await OpenAsync(context, BaseUrl + "/");

        await Expect(page.Locator("#daemon-count")).ToHaveTextAsync("1");
        await Expect(page.Locator("#workers tr", new() { HasText = "default" })).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-hour")).ToContainTextAsync("1 succeeded, 1 failed");
        await ScreenshotAsync(page, "overview");
    }

    [Test]
    public async Task FailedTask_IsFoundByFilter_AndRetriedFromItsPage_SucceedingWithoutAReload()
    {
        await StartDaemonWithMonitorAsync();
        await EnqueueAndWaitAsync("MyLib.Jobs.Bark", """["Rex"]""");
        var id = await EnqueueAndWaitAsync("MyLib.Flaky.SucceedOnAttempt", "[2]", "--max-retries", "0");
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + "/tasks");

        await page.Locator("#filters select[name=state]").SelectOptionAsync("failed");
        await page.Locator("#filters button[type=submit]").ClickAsync();
        await Expect(page.Locator("#tasks tr[data-id]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#tasks tr[data-id='{id}']")).ToContainTextAsync("Attempt 1 fails on purpose");
        await ScreenshotAsync(page, "tasks");

        await page.Locator($"#tasks tr[data-id='{id}'] a").First.ClickAsync();
        await Expect(page.Locator("#task-state")).ToHaveAttributeAsync("data-state", "failed");
        await page.EvaluateAsync("() => { window.carrotNoReload = true; }");
        await page.Locator("#retry button").ClickAsync();

        await Expect(page.Locator("#task-state")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator("#task-result")).ToContainTextAsync("2");
        await Expect(page.Locator("#attempts")).ToContainTextAsync("Attempt 1 fails on purpose");
        Assert.That(await page.EvaluateAsync<bool>("() => window.carrotNoReload === true"), Is.True, "the page was not reloaded");
        await ScreenshotAsync(page, "task");
    }

    [Test]
    public async Task BulkRetry_OfEveryTaskTheFilterMatches_SaysHowMany_ThenRunsWithProgress()
    {
        await StartDaemonWithMonitorAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await EnqueueAndWaitAsync("MyLib.Flaky.SucceedOnAttempt", "[2]", "--max-retries", "0"));
        }

        await EnqueueAndWaitAsync("MyLib.Jobs.Bark", """["Rex"]""");
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + "/tasks?state=failed");

        await page.Locator("#scope-all").CheckAsync();
        await page.Locator("#bulk button[value=retry]").ClickAsync();
        await Expect(page.Locator("#confirm-text")).ToContainTextAsync("Retry 3 task(s)");
        await page.Locator("#confirm").ClickAsync();

        await Expect(page.Locator("#bulk-state")).ToHaveTextAsync("done", new() { Timeout = 30_000 });
        await Expect(page.Locator("#bulk-counts")).ToContainTextAsync("3 done, 0 skipped, 0 failed, of 3");
        await using var client = await Sandbox.CreateClientAsync();
        foreach (var id in ids)
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            Assert.That(task.State, Is.EqualTo(Tasks.TaskState.Succeeded), $"task {id}");
        }
    }

    [Test]
    public async Task RunningTask_ItsLogIsTailedLive()
    {
        await StartDaemonWithMonitorAsync();
        var id = long.Parse(await CarrotAsync("enqueue", "MyLib.Chatter.Talk", "--args", "[40, 250]"), System.Globalization.CultureInfo.InvariantCulture);
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + $"/tasks/{id}");

        await Expect(page.Locator("#task-state")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 20_000 });
        await Expect(page.Locator("#logs .line", new() { HasText = "line 3 of 40" })).ToBeVisibleAsync();
        var stateWhileTailing = await page.Locator("#task-state").GetAttributeAsync("data-state");
        await page.Locator("#logs").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "logs");

        Assert.That(stateWhileTailing, Is.EqualTo("running"), "lines were shown while the task still ran");
        await Expect(page.Locator("#task-state")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator("#logs .line", new() { HasText = "line 40 of 40" })).ToBeVisibleAsync();
        Assert.That(await page.Locator("#logs .line", new() { HasTextRegex = LineOfForty() }).CountAsync(), Is.EqualTo(40), "each line once");
    }

    [Test]
    public async Task Worker_IsPausedFromTheWorkersPage()
    {
        await StartDaemonWithMonitorAsync();
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + "/workers");

        await page.Locator("#add-worker input[name=name]").FillAsync("files");
        await page.Locator("#add-worker input[name=concurrency]").FillAsync("2");
        await page.Locator("#add-worker button[type=submit]").ClickAsync();
        var row = page.Locator("tr[data-worker='files']");
        await Expect(row).ToBeVisibleAsync();
        await row.Locator("button", new() { HasText = "Pause" }).ClickAsync();
        await Expect(row.Locator(".worker-state")).ToHaveTextAsync("paused");
        await row.Locator("input[name=concurrency]").FillAsync("5");
        await row.Locator("button", new() { HasText = "Resize" }).ClickAsync();
        await Expect(page.Locator("#flash")).ToHaveTextAsync("Worker files resized.");
        await ScreenshotAsync(page, "workers");

        await using var client = await Sandbox.CreateClientAsync();
        var files = (await client.ListWorkersAsync()).Single(w => w.Name == "files");
        Assert.Multiple(() =>
        {
            Assert.That(files.Paused, Is.True);
            Assert.That(files.Concurrency, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Schedule_RunNow_EnqueuesItsTask()
    {
        await StartDaemonWithMonitorAsync();
        await CarrotAsync("schedules", "add", "nightly-bark", "MyLib.Jobs.Bark", "--cron", "0 3 * * *", "--args", """["Rex"]""");
        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context, BaseUrl + "/schedules");
        var row = page.Locator("tr[data-schedule='nightly-bark']");
        await Expect(row.Locator(".recent")).ToHaveTextAsync("none");

        await row.Locator("button", new() { HasText = "Run now" }).ClickAsync();

        await Expect(row.Locator(".recent a.succeeded")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await ScreenshotAsync(page, "schedules");
    }

    [GeneratedRegex("^\\S+ #1 information: line \\d+ of 40$")]
    private static partial Regex LineOfForty();
}
