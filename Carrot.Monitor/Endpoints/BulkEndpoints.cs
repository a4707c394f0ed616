using System.Globalization;
using Carrot.Errors;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Monitor.Pages;
using Carrot.Storage.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Carrot.Monitor.Endpoints;

/// <summary>Bulk retry / cancel / delete: the confirmation (how many), the start (<c>POST api/bulk</c>), and the progress.</summary>
internal static class BulkEndpoints
{
    public static void Map(RouteGroupBuilder group, MonitorContext monitor)
    {
        group.MapGet("/bulk/confirm", async Task<IResult> (HttpContext http) =>
        {
            var query = http.Request.Query;
            var action = query["action"].ToString();
            if (!BulkActions.Actions.Contains(action, StringComparer.Ordinal))
            {
                throw new CarrotInputException($"'{action}' is not a bulk action: use retry, cancel or delete.");
            }

            var all = query["scope"] == "all";
            var ids = all ? [] : ParseIds(query["id"]);
            if (!all && ids.Count == 0)
            {
                throw new CarrotInputException("No task is selected: tick some tasks, or tick 'every task matching the filter'.");
            }

            var filter = TaskFilterQuery.Parse(query);
            var store = await monitor.StoreAsync(http.RequestAborted);
            var count = all ? await store.CountAsync(filter, http.RequestAborted) : new FilterCount(ids.Count, null);
            var scope = all ? "every task matching " + TaskFilterQuery.Describe(filter) : $"the {ids.Count} selected";
            return MonitorResults.Html(BulkPages.Confirm(http, monitor, action, all, ids, TaskFilterQuery.Echo(n => query[n].ToString()), scope, count));
        });

        group.MapPost("/api/bulk", async Task<IResult> (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var action = form["action"].ToString();
            var all = form["scope"] == "all";
            var ids = all ? [] : ParseIds(form["id"]);
            if (!all && ids.Count == 0)
            {
                throw new CarrotInputException("No task is selected: send id=… for each task, or scope=all with the filter (state, worker, kallable, schedule, from, to, q).");
            }

            var filter = all ? TaskFilterQuery.Parse(form) : null;
            var store = await monitor.StoreAsync(http.RequestAborted);
            // A search's count covers only the newest ids it looked at: its total is not known until the walk ends.
            long? total = filter is null ? ids.Count : await store.CountAsync(filter, http.RequestAborted) is { SearchedDownTo: null } count ? count.Count : null;
            var job = monitor.Bulk.Start(monitor, action, filter, ids, total);
            return MonitorResults.WantsHtml(http)
                ? Results.Redirect(monitor.Url(http, $"/bulk/{job.Id}"))
                : MonitorResults.Json(job.View(), StatusCodes.Status202Accepted);
        });

        group.MapGet("/bulk/{id}", (string id, HttpContext http) =>
            monitor.Bulk.Get(id) is { } job ? MonitorResults.Html(BulkPages.Progress(http, monitor, job.View()))
                : MonitorResults.Problem(http, monitor, StatusCodes.Status404NotFound, $"There is no bulk action {id} (the monitor keeps the last 50 since it started)."));
        group.MapGet("/fragments/bulk/{id}", (string id) =>
            monitor.Bulk.Get(id) is { } job ? MonitorResults.Html(BulkPages.ProgressFragment(job.View())) : Results.NotFound());
        group.MapGet("/api/bulk/{id}", (string id, HttpContext http) =>
            monitor.Bulk.Get(id) is { } job ? MonitorResults.Json(job.View())
                : MonitorResults.Json(new ErrorView($"There is no bulk action {id}."), StatusCodes.Status404NotFound));
    }

    private static List<long> ParseIds(StringValues values)
    {
        var ids = new List<long>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                ids.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                    : throw new CarrotInputException($"'{part}' is not a task id (a whole number)."));
            }
        }

        return ids.Distinct().ToList();
    }
}
