using System.Text;
using Carrot.Monitor.Data;
using Carrot.Records;
using Carrot.Tasks;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>One task: every field, every attempt, its log lines tailed live, and retry / cancel / delete.</summary>
internal static class TaskPage
{
    public static string Render(HttpContext http, MonitorContext monitor, TaskRecord task, IReadOnlyList<TaskAttemptRecord> attempts, IReadOnlyList<TaskLogLine> logs)
    {
        var self = monitor.Url(http, $"/tasks/{task.Id}");
        var html = new StringBuilder();
        html.Append("<div class=\"actions\">");
        html.Append(Layout.ActionButton(http, monitor, $"/api/tasks/{task.Id}/retry", "Retry", self, "primary").Replace("class=\"inline js-action\"", "class=\"inline js-action\" id=\"retry\" data-done=\"Queued again.\"", StringComparison.Ordinal));
        html.Append(Layout.ActionButton(http, monitor, $"/api/tasks/{task.Id}/cancel", "Cancel", self).Replace("class=\"inline js-action\"", "class=\"inline js-action\" id=\"cancel\" data-done=\"Cancel requested.\"", StringComparison.Ordinal));
        html.Append(Layout.ActionButton(http, monitor, $"/api/tasks/{task.Id}/delete", "Delete", monitor.Url(http, "/tasks"), "danger")
            .Replace("class=\"inline js-action\"", $"class=\"inline js-action\" id=\"delete\" data-goto=\"{E(monitor.Url(http, "/tasks"))}\"", StringComparison.Ordinal));
        html.Append("</div>");
        html.Append($"<div id=\"task-live\" data-refresh=\"{E(monitor.Url(http, $"/fragments/tasks/{task.Id}"))}\" data-interval=\"1000\">{Fragment(http, monitor, task, attempts)}</div>");
        html.Append("<h2>Log lines</h2>");
        html.Append($"<div class=\"logs\" id=\"logs\" data-tail=\"{E(monitor.Url(http, $"/api/tasks/{task.Id}/logs"))}\" data-interval=\"1000\" data-count=\"{logs.Count}\">");
        if (logs.Count == 0)
        {
            html.Append("<div class=\"line empty\">No lines yet.</div>");
        }

        foreach (var line in logs)
        {
            // The span a line was written in shows on hover, to find it in the trace.
            var span = line.SpanId is { } spanId ? $" title=\"trace {E(line.TraceId ?? "")} span {E(spanId)}\"" : "";
            html.Append($"<div class=\"line {line.Level}\"{span}>{line.At.UtcDateTime:HH:mm:ss.fff} #{line.Attempt} {E(line.Level.ToString().ToLowerInvariant())}: {E(line.Message)}</div>");
        }

        html.Append("</div>");
        return Layout.Page(http, monitor, $"Task {task.Id}", "Tasks", html.ToString());
    }

    public static string Fragment(HttpContext http, MonitorContext monitor, TaskRecord task, IReadOnlyList<TaskAttemptRecord> attempts)
    {
        var html = new StringBuilder();
        var schedule = task.ScheduleId is { } id ? $"<a href=\"{E(monitor.Url(http, "/tasks?" + Query(("schedule", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))))}\">{id}</a>" : "<span class=\"none\">—</span>";
        html.Append($"""
            <dl class="fields">
            <dt>state</dt><dd id="task-state" data-state="{task.State.ToName()}">{State(task.State)}{(task.CancelRequestedAt is null || task.State.IsTerminal() ? "" : " (cancel requested)")}</dd>
            <dt>kallable</dt><dd><code>{E(task.Kallable)}</code></dd>
            <dt>worker</dt><dd><a href="{E(monitor.Url(http, "/tasks?" + Query(("worker", task.Worker))))}">{E(task.Worker)}</a></dd>
            <dt>args</dt><dd>{JsonBlock(task.Args)}</dd>
            <dt>kwargs</dt><dd>{JsonBlock(task.Kwargs)}</dd>
            <dt>priority</dt><dd>{task.Priority}</dd>
            <dt>attempts</dt><dd id="task-attempts">{task.Attempts} of {task.MaxAttempts}</dd>
            <dt>node</dt><dd>{E(task.Node ?? "—")}</dd>
            <dt>schedule</dt><dd>{schedule}</dd>
            <dt>idempotency key</dt><dd>{E(task.Key ?? "—")}</dd>
            <dt>created</dt><dd>{Time(task.CreatedAt)}</dd>
            <dt>run at</dt><dd>{Time(task.RunAt)}</dd>
            <dt>queued</dt><dd>{Time(task.QueuedAt)}</dd>
            <dt>published</dt><dd>{Time(task.PublishedAt)}</dd>
            <dt>started</dt><dd>{Time(task.StartedAt)}</dd>
            <dt>finished</dt><dd>{Time(task.FinishedAt)}</dd>
            <dt>cancel requested</dt><dd>{Time(task.CancelRequestedAt)}</dd>
            <dt>result</dt><dd id="task-result">{JsonBlock(task.Result)}</dd>
            <dt>error</dt><dd id="task-error">{(task.ErrorType is null && task.ErrorMessage is null ? "<span class=\"none\">—</span>" : $"<strong>{E(task.ErrorType)}</strong>: {E(task.ErrorMessage)}")}</dd>
            </dl>
            """);
        if (task.StackTrace is { } stack)
        {
            html.Append($"<h2>Stack trace</h2><pre class=\"stack\">{E(stack)}</pre>");
        }

        html.Append("<h2>Attempts</h2>");
        if (attempts.Count == 0)
        {
            html.Append("<p class=\"none\">No attempt has ended with an error or a retry (a first attempt that succeeded is described above).</p>");
        }
        else
        {
            html.Append("<table id=\"attempts\"><tr><th class=\"num\">#</th><th>status</th><th>node</th><th>started</th><th>finished</th><th>error</th></tr>");
            foreach (var a in attempts)
            {
                html.Append($"<tr><td class=\"num\">{a.Attempt}</td><td><span class=\"state {E(a.Status)}\">{E(a.Status)}</span></td><td>{E(a.Node)}</td><td>{Time(a.StartedAt)}</td><td>{Time(a.FinishedAt)}</td><td class=\"error\" title=\"{E(a.StackTrace)}\">{E(a.ErrorType)}{(a.ErrorMessage is null ? "" : ": " + E(a.ErrorMessage))}</td></tr>");
            }

            html.Append("</table>");
        }

        return html.ToString();
    }
}
