using Carrot.Errors;
using Carrot.Monitor.Data;
using Carrot.Monitor.Json;
using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Security;

/// <summary>
/// Runs before every monitor endpoint: the security headers (a strict Content-Security-Policy: only the monitor's own
/// script and style, nothing inline, no frames), and for every POST the two checks an action needs — the request may act
/// (not a read-only user), and it is not a cross-site request.
/// </summary>
internal sealed class MonitorRequestFilter(MonitorContext monitor)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!monitor.CanAct(http))
            {
                return MonitorResults.Problem(http, monitor, StatusCodes.Status403Forbidden, "This user may only look: actions need a monitor user or token with write access (monitor.user / monitor.token).");
            }

            if (!MonitorRoles.IsBearer(http) && !await CsrfTokens.IsValidAsync(http))
            {
                return MonitorResults.Problem(http, monitor, StatusCodes.Status403Forbidden, "Refused: the request did not carry the monitor's anti-forgery token. Reload the page and try again; scripts send a bearer token or the X-Carrot-Csrf header.");
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var result = await next(context);

            // What the handler took (reading and rendering), for the bench and the browser's network panel.
            headers["Server-Timing"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"app;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}");
            return result;
        }
        catch (CarrotInputException e)
        {
            return MonitorResults.Problem(http, monitor, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (CarrotStoreException e)
        {
            return MonitorResults.Problem(http, monitor, StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }
}
