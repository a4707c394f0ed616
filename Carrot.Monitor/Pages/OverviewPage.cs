using System.Text;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>The overview: live daemons, per worker what it is doing, and the charts; refreshed in place every few seconds.</summary>
internal static class OverviewPage
{
    public static string Render(HttpContext http, MonitorContext monitor, OverviewView overview) =>
        Layout.Page(http, monitor, "Overview", "Overview",
            $"<div id=\"overview\" data-refresh=\"{E(monitor.Url(http, "/fragments/overview"))}\" data-interval=\"3000\">{Fragment(http, monitor, overview)}</div>");

    public static string Fragment(HttpContext http, MonitorContext monitor, OverviewView overview)
    {
        var status = overview.Status;
        var html = new StringBuilder();
        var running = status.Workers.Sum(w => w.Counts.GetValueOrDefault("running"));
        var queued = status.Workers.Sum(w => w.Counts.GetValueOrDefault("queued"));
        var failedHour = overview.LastHour.Values.Sum(v => v.Failed);
        var succeededHour = overview.LastHour.Values.Sum(v => v.Succeeded);
        html.Append($"""
            <div class="cards">
            <div class="card"><div class="value" id="daemon-count">{status.Daemons.Count}</div><div class="label">live daemons</div></div>
            <div class="card"><div class="value">{Number(running)}</div><div class="label">running</div></div>
            <div class="card"><div class="value">{Number(queued)}</div><div class="label">queued</div></div>
            <div class="card"><div class="value">{Number(succeededHour)}</div><div class="label">succeeded, last hour</div></div>
            <div class="card"><div class="value"><a href="{E(monitor.Url(http, "/tasks?" + Query(("state", "failed"), ("from", DateTimeOffset.UtcNow.AddHours(-1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture)))))}">{Number(failedHour)}</a></div><div class="label">failed, last hour</div></div>
            </div>
            """);
        html.Append("<div class=\"charts\">");
        html.Append(ThroughputChart.Render("Last hour, per minute", "chart-hour", overview.LastHourByMinute, "HH:mm"));
        html.Append(ThroughputChart.Render("Last day, per hour", "chart-day", overview.LastDayByHour, "HH:00"));
        html.Append("</div>");

        html.Append("<h2>Daemons</h2>");
        if (status.Daemons.Count == 0)
        {
            html.Append("<p class=\"none\">No carrotd has sent a heartbeat recently: nothing runs tasks.</p>");
        }
        else
        {
            html.Append("<table id=\"daemons\"><tr><th>host</th><th>pid</th><th>version</th><th>started</th><th>heartbeat</th><th class=\"num\">running</th><th>runaways</th></tr>");
            foreach (var d in status.Daemons)
            {
                html.Append($"<tr><td>{E(d.Host)}</td><td>{d.Pid}</td><td>{E(d.Version)}</td><td>{Time(d.StartedAt)}</td><td>{Time(d.HeartbeatAt)}</td><td class=\"num\">{d.RunningTasks}</td><td>{(d.RunawayTasks.Count == 0 ? "<span class=\"none\">none</span>" : string.Join(", ", d.RunawayTasks.Select(id => $"<a href=\"{E(monitor.Url(http, $"/tasks/{id}"))}\">{id}</a>")))}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<h2>Workers</h2>");
        if (status.BrokerError is { } brokerError)
        {
            html.Append($"<div class=\"flash error\">Queue depths unknown: {E(brokerError)}</div>");
        }

        html.Append("<table id=\"workers\"><tr><th>worker</th><th class=\"num\">concurrency</th><th>isolation</th><th>paused</th><th class=\"num\">queue depth</th><th class=\"num\">queued</th><th class=\"num\">running</th><th class=\"num\">succeeded 1 h</th><th class=\"num\">failed 1 h</th></tr>");
        foreach (var w in status.Workers)
        {
            var hour = overview.LastHour.GetValueOrDefault(w.Worker) ?? new WorkerHourView(0, 0);
            html.Append($"<tr><td><a href=\"{E(monitor.Url(http, "/tasks?" + Query(("worker", w.Worker))))}\">{E(w.Worker)}</a></td><td class=\"num\">{w.Concurrency}</td><td>{E(w.Isolation)}</td><td>{(w.Paused ? "<span class=\"state queued\">paused</span>" : "no")}</td><td class=\"num\">{(w.QueueDepth is { } depth ? Number(depth) : "?")}</td><td class=\"num\">{Number(w.Counts.GetValueOrDefault("queued"))}</td><td class=\"num\">{Number(w.Counts.GetValueOrDefault("running"))}</td><td class=\"num\">{Number(hour.Succeeded)}</td><td class=\"num\">{Number(hour.Failed)}</td></tr>");
        }

        html.Append("</table>");
        return html.ToString();
    }
}
