using System.Globalization;
using Carrot.Errors;

namespace Carrot.Storage.Sqlite;

/// <summary>
/// Refuses what would let several processes corrupt the database they share: a network or FUSE file system
/// (SQLite's locks and WAL shared memory do not work across hosts), and an SQLite older than 3.51.3, whose WAL
/// could be corrupted when two processes write and checkpoint at the same instant.
/// </summary>
internal static class StorageSafety
{
    public static readonly Version MinimumSqlite = new(3, 51, 3);

    private static readonly string[] NetworkFileSystems = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "glusterfs", "lustre", "afs", "davfs", "sshfs", "fuse.sshfs"];

    public static void CheckSqliteVersion(string reported, string databasePath)
    {
        if (Version.TryParse(reported, out var version) && version < MinimumSqlite)
        {
            throw new CarrotStoreException($"SQLite {reported} is older than {MinimumSqlite}, whose WAL mode can corrupt a database written by several processes (the CLI and carrotd); refusing to open {databasePath}. Use the SQLite bundled with Carrot.");
        }
    }

    /// <summary>Checks the file system holding <paramref name="databasePath"/>, given the text of /proc/self/mountinfo.</summary>
    public static void CheckFileSystem(string databasePath, string? mountInfo)
    {
        if (mountInfo is null)
        {
            return;
        }

        var full = Path.GetFullPath(databasePath);
        var best = (Point: "", Type: "");
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Fields: id parent major:minor root mount-point options [optional...] - fstype source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            var inside = point == "/" || full == point || full.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (inside && point.Length >= best.Point.Length)
            {
                best = (point, fields[separator + 1]);
            }
        }

        if (NetworkFileSystems.Contains(best.Type) || best.Type.StartsWith("fuse", StringComparison.Ordinal) && best.Type != "fuse.portal")
        {
            throw new CarrotStoreException($"The database {databasePath} is on a {best.Type} file system ({best.Point}), where SQLite's locking does not work and the file can be corrupted. Put it on a local disk (e.g. /var/lib/carrot).");
        }
    }

    public static string? ReadMountInfo()
    {
        try
        {
            return File.Exists("/proc/self/mountinfo") ? File.ReadAllText("/proc/self/mountinfo") : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // mountinfo escapes spaces and a few other characters as \ooo (octal).
    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 3 < value.Length && int.TryParse(value.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                result.Append((char)Convert.ToInt32(value.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(value[i]);
            }
        }

        return result.ToString();
    }
}
