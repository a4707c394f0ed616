using Carrot.Monitor.Data;
using Carrot.Monitor.Security;
using Microsoft.AspNetCore.Http;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>The frame of every page: the navigation, the anti-forgery token for the script, the monitor's own CSS and script.</summary>
internal static class Layout
{
    private static readonly (string Path, string Name)[] Sections = [("/", "Overview"), ("/tasks", "Tasks"), ("/workers", "Workers"), ("/schedules", "Schedules")];

    public static string Page(HttpContext http, MonitorContext monitor, string title, string active, string body)
    {
        var csrf = CsrfTokens.For(http, monitor.Url(http, ""));
        var nav = string.Concat(Sections.Select(s =>
            $"<a href=\"{E(monitor.Url(http, s.Path))}\"{(s.Name == active ? " class=\"active\"" : "")}>{s.Name}</a>"));
        var role = monitor.CanAct(http) ? "" : "<span class=\"badge\" id=\"read-only\">read-only</span>";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="carrot-csrf" content="{E(csrf)}">
            <title>{E(title)} · Carrot</title>
            <link rel="stylesheet" href="{E(monitor.Url(http, "/assets/monitor.css"))}">
            <script src="{E(monitor.Url(http, "/assets/monitor.js"))}" defer></script>
            </head>
            <body>
            <header><span class="brand">Carrot</span><nav>{nav}</nav>{role}</header>
            <main>
            <div id="flash" class="flash" hidden></div>
            <h1>{E(title)}</h1>
            {body}
            </main>
            </body>
            </html>
            """;
    }

    /// <summary>The hidden fields every action form carries: the anti-forgery token and the page to come back to.</summary>
    public static string FormFields(HttpContext http, MonitorContext monitor, string returnPath) =>
        $"<input type=\"hidden\" name=\"{CsrfTokens.FormField}\" value=\"{E(CsrfTokens.For(http, monitor.Url(http, "")))}\">" +
        $"<input type=\"hidden\" name=\"return\" value=\"{E(returnPath)}\">";

    /// <summary>A one-button action form; disabled for a read-only user.</summary>
    public static string ActionButton(HttpContext http, MonitorContext monitor, string action, string label, string returnPath, string cssClass = "", string extraFields = "") =>
        $"<form method=\"post\" action=\"{E(monitor.Url(http, action))}\" class=\"inline js-action\">{FormFields(http, monitor, returnPath)}{extraFields}" +
        $"<button type=\"submit\" class=\"{cssClass}\"{(monitor.CanAct(http) ? "" : " disabled")}>{E(label)}</button></form>";
}
