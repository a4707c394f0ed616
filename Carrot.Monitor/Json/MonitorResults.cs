using System.Text;
using Carrot.Monitor.Data;
using Carrot.Monitor.Pages;
using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Json;

/// <summary>
/// How the monitor answers. The pages' forms post to the JSON API's own endpoints: a browser's plain form post (it asks
/// for text/html) gets a redirect back or an error page; a script or the page's fetch gets JSON.
/// </summary>
internal static class MonitorResults
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, MonitorJson.Options, "application/json; charset=utf-8", status);

    public static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    public static bool WantsHtml(HttpContext http) =>
        http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static IResult Problem(HttpContext http, MonitorContext monitor, int status, string message) =>
        WantsHtml(http)
            ? Html(Layout.Page(http, monitor, "Refused", "", $"<div class=\"flash error\">{Html(message)}</div><p><a href=\"{Html(monitor.Url(http, "/"))}\">Back to the overview</a></p>"), status)
            : Json(new ErrorView(message), status);

    /// <summary>After an action: back to the page the form named (a path inside the monitor), or the result as JSON.</summary>
    public static async Task<IResult> AfterActionAsync<T>(HttpContext http, MonitorContext monitor, T value, string? fallback = null)
    {
        if (!WantsHtml(http))
        {
            return Json(value);
        }

        var target = fallback;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            target = form["return"].ToString() is { Length: > 0 } back ? back : fallback;
        }

        // Only a path inside the monitor: never a redirect to another site.
        var root = monitor.Url(http, "/");
        if (target is null || !target.StartsWith(root, StringComparison.Ordinal) || target.StartsWith("//", StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal))
        {
            target = root;
        }

        return Results.Redirect(target, permanent: false, preserveMethod: false);
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);
}
