using System.Globalization;
using Carrot.Cli.Output.Views;
using Carrot.Errors;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Monitor.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Carrot.Monitor.Endpoints;

/// <summary>Workers: the page, <c>api/workers</c> (<c>workers list --json</c>), and add / update / pause / resume / remove through the client.</summary>
internal static class WorkerEndpoints
{
    public static void Map(RouteGroupBuilder group, MonitorContext monitor)
    {
        group.MapGet("/workers", async Task<IResult> (HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Html(WorkersPage.Render(http, monitor, await client.ListWorkersAsync(http.RequestAborted)));
        });
        group.MapGet("/fragments/workers", async Task<IResult> (HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Html(WorkersPage.Fragment(http, monitor, await client.ListWorkersAsync(http.RequestAborted)));
        });
        group.MapGet("/api/workers", async Task<IResult> (HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Json((await client.ListWorkersAsync(http.RequestAborted)).Select(WorkerView.From).ToList());
        });
        group.MapPost("/api/workers", async Task<IResult> (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var client = await monitor.ClientAsync(http.RequestAborted);
            var worker = await client.AddWorkerAsync(form["name"].ToString().Trim(), Concurrency(form["concurrency"]) ?? 1, form["description"].ToString(), http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, WorkerView.From(worker));
        });
        group.MapPost("/api/workers/{name}/update", async (string name, HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var client = await monitor.ClientAsync(http.RequestAborted);
            var description = form.ContainsKey("description") ? form["description"].ToString() : null;
            var worker = await client.UpdateWorkerAsync(name, Concurrency(form["concurrency"]), description, http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, WorkerView.From(worker));
        });
        group.MapPost("/api/workers/{name}/pause", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, WorkerView.From(await client.PauseWorkerAsync(name, http.RequestAborted)));
        });
        group.MapPost("/api/workers/{name}/resume", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, WorkerView.From(await client.ResumeWorkerAsync(name, http.RequestAborted)));
        });
        group.MapPost("/api/workers/{name}/remove", async (string name, HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            await client.RemoveWorkerAsync(name, http.RequestAborted);
            return await MonitorResults.AfterActionAsync(http, monitor, new { removed = name });
        });
    }

    private static int? Concurrency(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw new CarrotInputException($"concurrency must be a whole number of 1 or more, not '{text}'.");
    }
}
