using System.Text;
using Carrot.Configuration;

namespace Carrot.Handoff;

/// <summary>
/// Where carrotd takes enqueues from local <c>carrot</c> calls (<c>enqueueSocket</c>): a Unix socket that the CLI and
/// the daemon find from the same options. Unset, it lies beside an SQLite database (<c>carrot.db.sock</c>, so it
/// shares that folder's permissions), or in <c>/run/carrot</c> (the unit's RuntimeDirectory) for PostgreSQL.
/// </summary>
internal static class HandoffSocket
{
    /// <summary>The setting's value that turns the hand-off off.</summary>
    public const string Off = "off";

    /// <summary>The PostgreSQL store's default: the systemd unit's RuntimeDirectory, group-readable like /var/lib/carrot.</summary>
    public const string RuntimeDefault = "/run/carrot/carrotd.sock";

    // sockaddr_un.sun_path holds 108 bytes, the last a NUL.
    private const int MaxPathBytes = 107;

    /// <summary>The socket's path, or null when the hand-off is off or the path is too long for a Unix socket.</summary>
    public static string? PathFor(CarrotOptions options)
    {
        var setting = options.EnqueueSocket.Trim();
        if (IsOff(setting))
        {
            return null;
        }

        var path = setting.Length > 0
            ? Path.GetFullPath(setting)
            : DatabaseAddress.LooksLikeUri(options.Database) ? RuntimeDefault : Path.GetFullPath(options.Database) + ".sock";
        return Fits(path) ? path : null;
    }

    /// <summary>Whether the setting turns the hand-off off (<c>off</c>, any case).</summary>
    public static bool IsOff(string setting) => setting.Trim().Equals(Off, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="path"/> fits in a Unix socket address.</summary>
    public static bool Fits(string path) => Encoding.UTF8.GetByteCount(path) <= MaxPathBytes;
}
