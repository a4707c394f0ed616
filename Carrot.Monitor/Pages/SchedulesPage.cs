using System.Text;
using Carrot.Monitor.Data;
using Carrot.Records;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>Schedules with their next run and their most recent tasks; pause / resume / run now.</summary>
internal static class SchedulesPage
{
    public static string Render(HttpContext http, MonitorContext monitor, IReadOnlyList<(ScheduleRecord Schedule, IReadOnlyList<TaskRecord> Recent)> schedules) =>
        Layout.Page(http, monitor, "Schedules", "Schedules",
            $"<div id=\"schedules-live\" data-refresh=\"{E(monitor.Url(http, "/fragments/schedules"))}\" data-interval=\"3000\">{Fragment(http, monitor, schedules)}</div>");

    public static string Fragment(HttpContext http, MonitorContext monitor, IReadOnlyList<(ScheduleRecord Schedule, IReadOnlyList<TaskRecord> Recent)> schedules)
    {
        if (schedules.Count == 0)
        {
            return "<p class=\"none\">No schedules. Add one with <code>carrot schedules add NAME KALLABLE --cron \"*/5 * * * *\"</code>.</p>";
        }

        var self = monitor.Url(http, "/schedules");
        var html = new StringBuilder("<table id=\"schedule-table\"><tr><th>name</th><th>kallable</th><th>worker</th><th>rhythm</th><th>next run</th><th>last run</th><th>recent tasks</th><th></th></tr>");
        foreach (var (s, recent) in schedules)
        {
            var path = $"/api/schedules/{Uri.EscapeDataString(s.Name)}";
            var rhythm = s.Cron is { } cron ? $"cron <code>{E(cron)}</code>{(s.TimeZone is { } tz ? " " + E(tz) : "")}" : $"every {s.Every?.TotalSeconds:0.###} s";
            var tasks = recent.Count == 0 ? "<span class=\"none\">none</span>"
                : string.Join(" ", recent.Select(t => $"<a href=\"{E(monitor.Url(http, $"/tasks/{t.Id}"))}\" class=\"state {Carrot.Tasks.TaskStateNames.ToName(t.State)}\" title=\"{Carrot.Tasks.TaskStateNames.ToName(t.State)}\">{t.Id}</a>"));
            var pause = s.Paused ? Layout.ActionButton(http, monitor, path + "/resume", "Resume", self) : Layout.ActionButton(http, monitor, path + "/pause", "Pause", self);
            var runNow = Layout.ActionButton(http, monitor, path + "/run-now", "Run now", self, "primary");
            html.Append($"<tr data-schedule=\"{E(s.Name)}\"><td><a href=\"{E(monitor.Url(http, "/tasks?" + Query(("schedule", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))))}\">{E(s.Name)}</a>{(s.Paused ? " <span class=\"state queued\">paused</span>" : "")}</td>" +
                $"<td><code>{E(s.Kallable)}</code></td><td>{E(s.Worker)}</td><td>{rhythm}</td><td>{(s.Paused ? "<span class=\"none\">paused</span>" : Time(s.NextRunAt))}</td><td>{Time(s.LastRunAt)}</td><td class=\"recent\">{tasks}</td><td>{runNow}{pause}</td></tr>");
        }

        return html.Append("</table>").ToString();
    }
}
