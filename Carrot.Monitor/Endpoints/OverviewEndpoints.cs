using Carrot.Cli.Output.Views;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Monitor.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Carrot.Monitor.Endpoints;

/// <summary>The overview page, its live fragment, and <c>api/overview</c> and <c>api/status</c> (<c>carrot status --json</c>).</summary>
internal static class OverviewEndpoints
{
    public static void Map(RouteGroupBuilder group, MonitorContext monitor)
    {
        group.MapGet("/", async Task<IResult> (HttpContext http) =>
            MonitorResults.Html(OverviewPage.Render(http, monitor, await OverviewReader.ReadAsync(monitor, http.RequestAborted))));
        group.MapGet("/fragments/overview", async Task<IResult> (HttpContext http) =>
            MonitorResults.Html(OverviewPage.Fragment(http, monitor, await OverviewReader.ReadAsync(monitor, http.RequestAborted))));
        group.MapGet("/api/overview", async Task<IResult> (HttpContext http) =>
            MonitorResults.Json(await OverviewReader.ReadAsync(monitor, http.RequestAborted)));
        group.MapGet("/api/status", async Task<IResult> (HttpContext http) =>
        {
            var client = await monitor.ClientAsync(http.RequestAborted);
            return MonitorResults.Json(StatusView.From(client.Options, await client.GetStatusAsync(http.RequestAborted)));
        });
    }
}
