using System.Text;
using Carrot.Monitor.Data;
using Carrot.Records;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>Workers: add, resize, pause/resume, remove — each a form on the client's own operation.</summary>
internal static class WorkersPage
{
    public static string Render(HttpContext http, MonitorContext monitor, IReadOnlyList<WorkerRecord> workers) =>
        Layout.Page(http, monitor, "Workers", "Workers",
            $"<div id=\"workers-live\" data-refresh=\"{E(monitor.Url(http, "/fragments/workers"))}\" data-interval=\"3000\">{Fragment(http, monitor, workers)}</div>" + AddForm(http, monitor));

    public static string Fragment(HttpContext http, MonitorContext monitor, IReadOnlyList<WorkerRecord> workers)
    {
        var self = monitor.Url(http, "/workers");
        var disabled = monitor.CanAct(http) ? "" : " disabled";
        var html = new StringBuilder("<table id=\"worker-table\"><tr><th>worker</th><th>concurrency</th><th>isolation</th><th title=\"process workers only: a runner is replaced after that many tasks, or above that memory after a task; default: carrotd's runnerMaxTasks / runnerMaxMemoryMiB\">runner limits</th><th>state</th><th>description</th><th>updated</th><th></th></tr>");
        foreach (var w in workers)
        {
            var path = $"/api/workers/{Uri.EscapeDataString(w.Name)}";
            var resize = $"""
                <form method="post" action="{E(monitor.Url(http, path + "/update"))}" class="inline js-action" data-done="Worker {E(w.Name)} resized.">{Layout.FormFields(http, monitor, self)}
                <input type="number" name="concurrency" min="1" value="{w.Concurrency}" class="narrow" aria-label="concurrency of {E(w.Name)}"{disabled}><button type="submit"{disabled}>Resize</button></form>
                """;
            var pause = w.Paused
                ? Layout.ActionButton(http, monitor, path + "/resume", "Resume", self)
                : Layout.ActionButton(http, monitor, path + "/pause", "Pause", self);
            var remove = w.Name == WorkerRecord.DefaultName ? "" : Layout.ActionButton(http, monitor, path + "/remove", "Remove", self, "danger");
            html.Append($"<tr data-worker=\"{E(w.Name)}\"><td><a href=\"{E(monitor.Url(http, "/tasks?" + Query(("worker", w.Name))))}\">{E(w.Name)}</a></td><td>{resize}</td><td>{Carrot.Client.WorkerIsolationNames.ToName(w.Isolation)}</td>" +
                $"<td class=\"runner-limits\">{E(Carrot.Cli.Output.RunnerLimitsDisplay.Text(w.Isolation, w.RunnerMaxTasks, w.RunnerMaxMemoryMiB) ?? "-")}</td>" +
                $"<td class=\"worker-state\">{(w.Paused ? "<span class=\"state queued\">paused</span>" : "<span class=\"state succeeded\">consuming</span>")}</td><td>{E(w.Description)}</td><td>{Time(w.UpdatedAt)}</td><td>{pause}{remove}</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string AddForm(HttpContext http, MonitorContext monitor)
    {
        var disabled = monitor.CanAct(http) ? "" : " disabled";
        return $"""
            <h2>Add a worker</h2>
            <form method="post" action="{E(monitor.Url(http, "/api/workers"))}" class="filters js-action" id="add-worker" data-done="Worker added.">{Layout.FormFields(http, monitor, monitor.Url(http, "/workers"))}
            <label>name<input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9._-]{"{0,63}"}"></label>
            <label>concurrency<input name="concurrency" type="number" min="1" value="1" class="narrow"></label>
            <label>description<input name="description"></label>
            <button type="submit" class="primary"{disabled}>Add</button>
            </form>
            """;
    }
}
