using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Security;

/// <summary>What the standalone server's authentication decided about a request: may it act, or only look.</summary>
internal static class MonitorRoles
{
    private const string ReadOnlyKey = "carrot.monitor.read-only";
    private const string BearerKey = "carrot.monitor.bearer";

    public static void MarkReadOnly(HttpContext http) => http.Items[ReadOnlyKey] = true;

    public static bool IsReadOnly(HttpContext http) => http.Items.ContainsKey(ReadOnlyKey);

    /// <summary>Authenticated by a token in the Authorization header, which a browser never sends by itself (no CSRF risk).</summary>
    public static void MarkBearer(HttpContext http) => http.Items[BearerKey] = true;

    public static bool IsBearer(HttpContext http) => http.Items.ContainsKey(BearerKey);
}
