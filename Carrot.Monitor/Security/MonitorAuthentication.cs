using System.Security.Cryptography;
using System.Text;
using Carrot.Monitor.Hosting;
using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Security;

/// <summary>
/// The standalone monitor's authentication: a bearer token or an HTTP Basic user, each either allowed to act or only to
/// look. With no credential configured (allowed on loopback only) every request may act. Compared in constant time.
/// </summary>
internal sealed class MonitorAuthentication(MonitorSettings settings)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!settings.HasCredentials)
        {
            await next(http);
            return;
        }

        var header = http.Request.Headers.Authorization.ToString();
        bool? mayAct = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            mayAct = Same(token, settings.Token) ? true : Same(token, settings.ReadOnlyToken) ? false : null;
            if (mayAct is not null)
            {
                MonitorRoles.MarkBearer(http);
            }
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && Decode(header["Basic ".Length..].Trim()) is { } pair)
        {
            var (user, password) = pair;
            mayAct = Same(user, settings.User) && Same(password, settings.Password) ? true
                : Same(user, settings.ReadOnlyUser) && Same(password, settings.ReadOnlyPassword) ? false : null;
        }

        if (mayAct is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Carrot monitor\", charset=\"UTF-8\"";
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("The Carrot monitor needs a user and password (HTTP Basic) or a bearer token.\n", http.RequestAborted);
            return;
        }

        if (mayAct is false)
        {
            MonitorRoles.MarkReadOnly(http);
        }

        await next(http);
    }

    private static (string, string)? Decode(string base64)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Same(string given, string? expected) =>
        !string.IsNullOrEmpty(expected) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
