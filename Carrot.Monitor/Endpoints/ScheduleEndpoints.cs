using Carrot.Cli.Output.Views;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Monitor.Pages;
using Carrot.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Carrot.Monitor.Endpoints;

/// <summary>Schedules: the page, <c>api/schedules</c> (<c>schedules list --json</c>), and pause / resume / run now through the client.</summary>
internal static class ScheduleEndpoints
{
    private const int RecentTasks = 5;

    public static void Map(RouteGroupBuilder group, MonitorContext monitor)
    {
        group.MapGet("/schedules", async Task<IResult> (HttpContext http) => MonitorResults.Html(SchedulesPage.Render(http, monitor, await ReadAsync(monitor, http.RequestAborted))));
        group.MapGet("/fragments/schedules", async Task<IResult> (HttpContext http) => MonitorResults.Html(SchedulesPage.Fragment(http, monitor, await ReadAsync(monitor, http.RequestAborted))));
        group.MapGet("/api/schedules", async Task<IResult> (HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Json((await client.ListSchedulesAsync(http.RequestAborted)).Select(ScheduleView.From).ToList());
        });
        group.MapPost("/api/schedules/{name}/pause", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, ScheduleView.From(await client.PauseScheduleAsync(name, http.RequestAborted)));
        });
        group.MapPost("/api/schedules/{name}/resume", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, ScheduleView.From(await client.ResumeScheduleAsync(name, http.RequestAborted)));
        });
        group.MapPost("/api/schedules/{name}/run-now", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            var enqueued = await client.RunScheduleNowAsync(name, http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, EnqueueView.From(enqueued, await client.GetTaskAsync(enqueued.TaskId, http.RequestAborted)));
        });
    }

    private static async Task<IReadOnlyList<(ScheduleRecord, IReadOnlyList<TaskRecord>)>> ReadAsync(MonitorContext monitor, CancellationToken cancellationToken)
    {
        var client = await monitor.ClientAsync(cancellationToken);
        var result = new List<(ScheduleRecord, IReadOnlyList<TaskRecord>)>();
        foreach (var schedule in await client.ListSchedulesAsync(cancellationToken))
        {
            result.Add((schedule, await client.ListTasksAsync(new TaskQuery { ScheduleId = schedule.Id, Limit = RecentTasks }, cancellationToken)));
        }

        return result;
    }
}
