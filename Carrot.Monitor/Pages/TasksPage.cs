using System.Text;
using Carrot.Monitor.Data;
using Carrot.Records;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>The task list: counts by state as tabs, the filters, one keyset page, and the bulk actions on a selection or on the whole filter.</summary>
internal static class TasksPage
{
    public static string Render(HttpContext http, MonitorContext monitor, IReadOnlyDictionary<TaskState, long> counts, IReadOnlyList<WorkerRecord> workers,
        FilteredPage<TaskRecord> page)
    {
        var tasks = page.Rows;
        var query = http.Request.Query;
        string? Value(string name) => query[name].ToString();
        var echo = Carrot.Monitor.Data.TaskFilterQuery.Echo(Value);
        var html = new StringBuilder();

        html.Append("<div class=\"tabs\" id=\"state-tabs\">");
        var allEcho = echo.Where(e => e.Name != "state").ToArray();
        html.Append($"<a href=\"{E(monitor.Url(http, "/tasks?" + Query(allEcho)))}\"{(string.IsNullOrEmpty(Value("state")) ? " class=\"active\"" : "")}>all {Number(counts.Values.Sum())}</a>");
        foreach (var state in Enum.GetValues<TaskState>())
        {
            var name = state.ToName();
            var active = string.Equals(Value("state"), name, StringComparison.OrdinalIgnoreCase) ? " class=\"active\"" : "";
            html.Append($"<a href=\"{E(monitor.Url(http, "/tasks?" + Query([.. allEcho, ("state", name)])))}\" data-state=\"{name}\"{active}>{name} {Number(counts.GetValueOrDefault(state))}</a>");
        }

        html.Append("</div>");

        var stateOptions = string.Concat(Enum.GetValues<TaskState>().Select(s => s.ToName()).Prepend("").Select(s =>
            $"<option value=\"{s}\"{(string.Equals(Value("state"), s, StringComparison.OrdinalIgnoreCase) && s.Length > 0 ? " selected" : "")}>{(s.Length == 0 ? "any" : s)}</option>"));
        var workerOptions = string.Concat(workers.Select(w => w.Name).Prepend("").Select(w =>
            $"<option value=\"{E(w)}\"{(Value("worker") == w && w.Length > 0 ? " selected" : "")}>{(w.Length == 0 ? "any" : E(w))}</option>"));
        html.Append($"""
            <form class="filters" method="get" action="{E(monitor.Url(http, "/tasks"))}" id="filters">
            <label>state<select name="state">{stateOptions}</select></label>
            <label>worker<select name="worker">{workerOptions}</select></label>
            <label>kallable starts with<input name="kallable" value="{E(Value("kallable"))}" placeholder="MyLib.Jobs."></label>
            <label>schedule id<input name="schedule" class="narrow" value="{E(Value("schedule"))}"></label>
            <label>created from (UTC)<input name="from" type="datetime-local" value="{E(Value("from"))}"></label>
            <label>created before (UTC)<input name="to" type="datetime-local" value="{E(Value("to"))}"></label>
            <label>search args, kwargs, error<input name="q" value="{E(Value("q"))}" placeholder="text"></label>
            <button type="submit" class="primary">Filter</button>
            <a href="{E(monitor.Url(http, "/tasks"))}">clear</a>
            </form>
            """);

        var filterFields = string.Concat(echo.Where(e => e.Value is not null).Select(e => $"<input type=\"hidden\" name=\"{e.Name}\" value=\"{E(e.Value)}\">"));
        var disabled = monitor.CanAct(http) ? "" : " disabled";
        html.Append($"""
            <form method="get" action="{E(monitor.Url(http, "/bulk/confirm"))}" id="bulk" class="actions">{filterFields}
            <label><input type="checkbox" name="scope" value="all" id="scope-all"> every task matching the filter, not only those ticked</label>
            <button type="submit" name="action" value="retry"{disabled}>Retry…</button>
            <button type="submit" name="action" value="cancel"{disabled}>Cancel…</button>
            <button type="submit" name="action" value="delete" class="danger"{disabled}>Delete…</button>
            </form>
            """);

        html.Append("<table id=\"tasks\"><tr><th></th><th>id</th><th>kallable</th><th>worker</th><th>state</th><th class=\"num\">attempts</th><th>created</th><th>finished</th><th>error</th></tr>");
        foreach (var task in tasks)
        {
            html.Append($"""
                <tr data-id="{task.Id}"><td><input type="checkbox" form="bulk" name="id" value="{task.Id}" aria-label="select task {task.Id}"></td>
                <td><a href="{E(monitor.Url(http, $"/tasks/{task.Id}"))}">{task.Id}</a></td><td>{E(task.Kallable)}</td><td>{E(task.Worker)}</td>
                <td>{State(task.State)}</td><td class="num">{task.Attempts}/{task.MaxAttempts}</td><td>{Time(task.CreatedAt)}</td><td>{Time(task.FinishedAt)}</td>
                <td class="error" title="{E(task.ErrorMessage)}">{E(task.ErrorType)}{(task.ErrorMessage is null ? "" : ": " + E(task.ErrorMessage))}</td></tr>
                """);
        }

        html.Append("</table>");
        if (tasks.Count == 0 && page.Next is null)
        {
            html.Append("<p class=\"none\" id=\"no-tasks\">No task matches.</p>");
        }

        if (page.SearchedDownTo is { } downTo)
        {
            // A search reads at most one window of ids a page: say how far it got, and how to go on or narrow it.
            var start = string.IsNullOrEmpty(query["before"]) ? "from the newest task" : $"below id {E(query["before"])}";
            var rest = page.Next is null ? "No older task is left to search."
                : "Search older tasks with <em>older »</em>, or narrow the search with a state, worker or schedule.";
            html.Append($"<p class=\"none\" id=\"searched\">Searched {start} down to id {downTo}: {Number(tasks.Count)} match(es) on this page. {rest}</p>");
        }

        html.Append("<div class=\"pager\">");
        if (!string.IsNullOrEmpty(query["before"]))
        {
            html.Append($"<a href=\"{E(monitor.Url(http, "/tasks?" + Query(echo)))}\">« newest</a>");
        }

        if (page.Next is { } before)
        {
            html.Append($"<a id=\"older\" href=\"{E(monitor.Url(http, "/tasks?" + Query([.. echo, ("before", before.ToString(System.Globalization.CultureInfo.InvariantCulture))])))}\">older »</a>");
        }

        html.Append("</div>");
        return Layout.Page(http, monitor, "Tasks", "Tasks", html.ToString());
    }
}
