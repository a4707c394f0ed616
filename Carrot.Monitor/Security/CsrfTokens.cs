using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Carrot.Monitor.Security;

/// <summary>
/// Double-submit tokens against cross-site requests: a random value in a SameSite=Strict cookie, which every page
/// repeats in its forms (and the script in a header). Another site can make a browser send the cookie, never read it,
/// so it cannot put the same value in the form.
/// </summary>
internal static class CsrfTokens
{
    public const string FormField = "_csrf";
    public const string Header = "X-Carrot-Csrf";
    private const string CookieName = "carrot-csrf";

    /// <summary>The request's token, set as a cookie first when the browser has none.</summary>
    public static string For(HttpContext http, string cookiePath)
    {
        if (http.Items[CookieName] is string issued)
        {
            return issued;
        }

        if (http.Request.Cookies.TryGetValue(CookieName, out var existing) && existing.Length >= 32)
        {
            return existing;
        }

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = cookiePath.Length == 0 ? "/" : cookiePath,
            IsEssential = true,
        });
        http.Items[CookieName] = token;
        return token;
    }

    /// <summary>Whether the POST carries the cookie's token in its form or header.</summary>
    public static async Task<bool> IsValidAsync(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var cookie) || cookie.Length < 32)
        {
            return false;
        }

        string? sent = http.Request.Headers[Header];
        if (string.IsNullOrEmpty(sent) && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            sent = form[FormField];
        }

        return !string.IsNullOrEmpty(sent) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(cookie));
    }
}
