using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Carrot.Storage.Monitoring;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>The confirmation that says how many tasks a bulk action touches, and its progress page.</summary>
internal static class BulkPages
{
    public static string Confirm(HttpContext http, MonitorContext monitor, string action, bool all, IReadOnlyList<long> ids, (string Name, string? Value)[] filter, string scope, FilterCount count)
    {
        var fields = string.Concat(filter.Where(f => f.Value is not null).Select(f => $"<input type=\"hidden\" name=\"{f.Name}\" value=\"{E(f.Value)}\">"))
            + string.Concat(ids.Select(id => $"<input type=\"hidden\" name=\"id\" value=\"{id}\">"))
            + $"<input type=\"hidden\" name=\"action\" value=\"{E(action)}\"><input type=\"hidden\" name=\"scope\" value=\"{(all ? "all" : "selected")}\">";
        var rule = action switch
        {
            "retry" => "Only failed and cancelled tasks are queued again; the others are skipped.",
            "cancel" => "Scheduled and queued tasks never start; running ones have their token fired; finished ones are skipped.",
            _ => "Only finished tasks (succeeded, failed, cancelled) are deleted, with their attempts and log lines; the others are skipped. This cannot be undone.",
        };
        var back = monitor.Url(http, "/tasks?" + Query(filter));
        // A search counts only the newest ids it looked at (one window): say so, and let the action go on through the rest.
        var partial = count.SearchedDownTo is not null;
        var what = partial ? "every task that matches" : $"{Number(count.Count)} task(s)";
        var canAct = monitor.CanAct(http) && (partial || count.Count > 0);
        var searched = count.SearchedDownTo is { } downTo
            ? $"<p id=\"confirm-searched\">Among the newest tasks, down to id {downTo}, {Number(count.Count)} match. " +
              "The action searches the older tasks too, a window at a time, and its progress page counts what it finds.</p>"
            : "";
        var body = $"""
            <p id="confirm-text"><strong>{E(Capital(action))} {what}</strong> — {E(scope)}?</p>{searched}
            <p class="none">{E(rule)}</p>
            <form method="post" action="{E(monitor.Url(http, "/api/bulk"))}">{Layout.FormFields(http, monitor, back)}{fields}
            <button type="submit" class="{(action == "delete" ? "danger" : "primary")}" id="confirm"{(canAct ? "" : " disabled")}>{E(Capital(action))} {what}</button>
            <a href="{E(back)}">Back</a>
            </form>
            """;
        return Layout.Page(http, monitor, $"{Capital(action)} tasks", "Tasks", body);
    }

    public static string Progress(HttpContext http, MonitorContext monitor, BulkJobView job) =>
        Layout.Page(http, monitor, $"Bulk {job.Action}", "Tasks",
            $"<div id=\"bulk-progress\" data-refresh=\"{E(monitor.Url(http, $"/fragments/bulk/{job.Id}"))}\" data-interval=\"1000\">{ProgressFragment(job)}</div>" +
            $"<p><a href=\"{E(monitor.Url(http, "/tasks"))}\">Back to the tasks</a></p>");

    public static string ProgressFragment(BulkJobView job) => $"""
        <p>{E(Capital(job.Action))} — {E(job.Scope)}: <strong id="bulk-state">{(job.Finished ? "done" : "running")}</strong></p>
        {(job.Total is { } total ? $"<progress max=\"{Math.Max(1, total)}\" value=\"{job.Done + job.Skipped + job.Failed}\"></progress>" : "<progress></progress>")}
        <p id="bulk-counts">{Number(job.Done)} done, {Number(job.Skipped)} skipped, {Number(job.Failed)} failed, {(job.Total is { } all ? $"of {Number(all)}" : job.SearchedDownTo is { } downTo ? $"searched down to id {downTo}" : "searching")}</p>
        {(job.LastError is { } error ? $"<div class=\"flash error\">{E(error)}</div>" : "")}
        """;

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
