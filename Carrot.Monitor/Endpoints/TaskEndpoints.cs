using System.Globalization;
using Carrot.Cli.Output.Views;
using Carrot.Errors;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Monitor.Pages;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Carrot.Monitor.Endpoints;

/// <summary>The task list and a task's page, their JSON (the shapes of <c>tasks list|show --json</c>), and retry / cancel / delete.</summary>
internal static class TaskEndpoints
{
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder group, MonitorContext monitor)
    {
        group.MapGet("/tasks", async Task<IResult> (HttpContext http) =>
        {
            var page = await PageAsync(monitor, http, PageSize);
            var store = await monitor.StoreAsync(http.RequestAborted);
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Html(TasksPage.Render(http, monitor, await store.CountByStateAsync(http.RequestAborted), await client.ListWorkersAsync(http.RequestAborted), page));
        });
        group.MapGet("/api/tasks", async Task<IResult> (HttpContext http) =>
        {
            var limit = ParseLimit(http.Request.Query["limit"]);
            var page = await PageAsync(monitor, http, limit);
            var store = await monitor.StoreAsync(http.RequestAborted);
            var counts = await store.CountByStateAsync(http.RequestAborted);
            return MonitorResults.Json(new TaskPageView(page.Rows.Select(TaskView.From).ToList(), page.Next, page.SearchedDownTo,
                counts.ToDictionary(c => c.Key.ToName(), c => c.Value, StringComparer.Ordinal)));
        });
        group.MapGet("/api/tasks/count", async Task<IResult> (HttpContext http) =>
        {
            var store = await monitor.StoreAsync(http.RequestAborted);
            var count = await store.CountAsync(TaskFilterQuery.Parse(http.Request.Query), http.RequestAborted);
            return MonitorResults.Json(new { count = count.Count, searchedDownTo = count.SearchedDownTo });
        });
        group.MapGet("/tasks/{id:long}", async (long id, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            var task = await client.GetTaskAsync(id, http.RequestAborted);
            if (task is null)
            {
                return MonitorResults.Problem(http, monitor, StatusCodes.Status404NotFound, $"There is no task {id}: it never existed or was purged.");
            }

            return MonitorResults.Html(TaskPage.Render(http, monitor, task, await client.GetTaskAttemptsAsync(id, http.RequestAborted), await client.GetTaskLogsAsync(id, http.RequestAborted)));
        });
        group.MapGet("/fragments/tasks/{id:long}", async (long id, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return await client.GetTaskAsync(id, http.RequestAborted) is { } task
                ? MonitorResults.Html(TaskPage.Fragment(http, monitor, task, await client.GetTaskAttemptsAsync(id, http.RequestAborted)))
                : MonitorResults.Html("<p class=\"none\" id=\"task-gone\">This task no longer exists.</p>");
        });
        group.MapGet("/api/tasks/{id:long}", async (long id, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            var task = await client.GetTaskAsync(id, http.RequestAborted) ?? throw new CarrotInputException($"There is no task {id}. See 'carrot tasks list'.");
            var logs = await client.GetTaskLogsAsync(id, http.RequestAborted);
            return MonitorResults.Json(TaskView.From(task) with
            {
                Logs = logs.Select(TaskLogView.From).ToList(),
                AttemptHistory = await client.GetTaskAttemptsAsync(id, http.RequestAborted),
            });
        });
        group.MapGet("/api/tasks/{id:long}/logs", async (long id, HttpContext http) =>
        {
            var skip = int.TryParse(http.Request.Query["skip"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var store = await monitor.StoreAsync(http.RequestAborted);
            return MonitorResults.Json((await store.LogsFromAsync(id, skip, http.RequestAborted)).Select(TaskLogView.From).ToList());
        });

        group.MapPost("/api/tasks/{id:long}/retry", async (long id, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            await client.RetryTaskAsync(id, http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, new TaskActionView("retry", 1, [id], "queued"));
        });
        group.MapPost("/api/tasks/{id:long}/cancel", async (long id, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            var state = await client.CancelTaskAsync(id, http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, new TaskActionView("cancel", 1, [id], state.ToName()));
        });
        group.MapPost("/api/tasks/{id:long}/delete", async (long id, HttpContext http) =>
        {
            var store = await monitor.StoreAsync(http.RequestAborted);
            var deleted = await store.DeleteFinishedAsync([id], http.RequestAborted);
            if (deleted.Count == 0)
            {
                var client = await monitor.ClientAsync(http.RequestAborted);
                var task = await client.GetTaskAsync(id, http.RequestAborted) ?? throw new CarrotInputException($"There is no task {id}. See 'carrot tasks list'.");
                throw new CarrotInputException($"Task {id} is {task.State.ToName()}; only finished tasks (succeeded, failed, cancelled) can be deleted. Cancel it first.");
            }

            return await MonitorResults.AfterActionAsync(http, monitor, new TaskActionView("delete", 1, [id], null), monitor.Url(http, "/tasks"));
        });
    }

    private static async Task<FilteredPage<Records.TaskRecord>> PageAsync(MonitorContext monitor, HttpContext http, int limit)
    {
        var filter = TaskFilterQuery.Parse(http.Request.Query);
        long? before = null;
        if (http.Request.Query["before"].ToString() is { Length: > 0 } beforeText)
        {
            before = long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b
                : throw new CarrotInputException($"before must be a task id (a whole number), not '{beforeText}'.");
        }

        var store = await monitor.StoreAsync(http.RequestAborted);
        return await store.PageAsync(filter, before, limit, http.RequestAborted);
    }

    private static int ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return PageSize;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 1000 ? limit
            : throw new CarrotInputException($"limit must be a whole number from 1 to 1000, not '{text}'.");
    }
}
