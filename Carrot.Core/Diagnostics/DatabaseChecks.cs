using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Storage;
using Carrot.Storage.Sqlite;

namespace Carrot.Diagnostics;

/// <summary>
/// The database file: where it is, its file system, who may read it, its schema version and journal mode,
/// whether this user can write it, and which daemons are alive. Opened without the create flag, so a missing
/// file stays missing.
/// </summary>
internal static class DatabaseChecks
{
    private const string Area = "database";

    public static async Task<DatabaseReport> RunAsync(CarrotOptions options, CancellationToken cancellationToken)
    {
        var checks = new List<DiagnosticCheck>();
        var path = options.Database;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            StorageSafety.CheckFileSystem(path, StorageSafety.ReadMountInfo());
        }
        catch (CarrotStoreException e)
        {
            checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Move the database to a local disk and set \"database\" to it."));
            return new DatabaseReport(checks, null);
        }

        if (!File.Exists(path))
        {
            checks.Add(Directory.Exists(folder)
                ? DiagnosticCheck.Warn(Area, $"{path} does not exist yet.", "It is created by the first carrot command or when carrotd starts; run them as the user that owns the folder.")
                : DiagnosticCheck.Warn(Area, $"{path} does not exist, nor its folder {folder}.", $"Create {folder} for the user that runs carrotd (the package makes /var/lib/carrot), or set \"database\"."));
            return new DatabaseReport(checks, null);
        }

        checks.Add(DiagnosticCheck.Ok(Area, $"{path} (local file system)"));
        checks.AddRange(Permissions(path, folder));

        DatabaseProbe probe;
        string sqlite;
        try
        {
            probe = await DatabaseProbe.OpenAsync(path, cancellationToken);
            sqlite = await probe.SqliteVersionAsync(cancellationToken);
        }
        catch (CarrotStoreException e)
        {
            checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Run the doctor as the user that runs carrotd (sudo -u carrot carrot doctor), or fix the file's permissions."));
            return new DatabaseReport(checks, null);
        }

        await using (probe)
        {
            try
            {
                StorageSafety.CheckSqliteVersion(sqlite, path);
            }
            catch (CarrotStoreException e)
            {
                checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Use the carrot and carrotd builds that bundle their SQLite."));
                return new DatabaseReport(checks, null);
            }

            try
            {
                checks.Add(Schema(await probe.SchemaVersionAsync(cancellationToken)));
                checks.Add(JournalMode(await probe.JournalModeAsync(cancellationToken)));
                checks.Add(await WritableAsync(probe, path, cancellationToken));
                var workers = await probe.WorkerNamesAsync(cancellationToken);
                checks.Add(await DaemonsAsync(probe, options, cancellationToken));
                return new DatabaseReport(checks, workers);
            }
            catch (CarrotStoreException e)
            {
                checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Run the doctor as the user that runs carrotd (sudo -u carrot carrot doctor), or fix the file's permissions."));
                return new DatabaseReport(checks, null);
            }
        }
    }

    private static IEnumerable<DiagnosticCheck> Permissions(string path, string folder)
    {
        // Readable by others only when both the file (or its WAL, which holds recent rows) and the folder let them.
        var folderOpen = FileModes.IsWorldSearchable(folder);
        var exposed = new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Where(FileModes.IsWorldReadable).ToList();
        if (folderOpen && exposed.Count > 0)
        {
            yield return DiagnosticCheck.Warn(Area, $"Every user can read the database (tasks' arguments, results and logs): {string.Join(", ", exposed.Select(f => $"{f} {FileModes.Octal(f)}"))}, folder {folder} {FileModes.Octal(folder)}.",
                $"chmod o-rwx {folder} {string.Join(' ', exposed)} (the package's /var/lib/carrot is 0750 and carrotd runs with UMask=0027).");
        }
        else
        {
            yield return DiagnosticCheck.Ok(Area, $"not readable by other users (file {FileModes.Octal(path)}, folder {FileModes.Octal(folder)})");
        }
    }

    private static DiagnosticCheck Schema(int version) =>
        version == SqliteSchemaMigrator.LatestVersion
            ? DiagnosticCheck.Ok(Area, $"schema version {version} (this carrot's)")
            : version > SqliteSchemaMigrator.LatestVersion
                ? DiagnosticCheck.Fail(Area, $"schema version {version} is newer than this carrot knows ({SqliteSchemaMigrator.LatestVersion}).", "Upgrade carrot and carrotd to the version that wrote it.")
                : DiagnosticCheck.Warn(Area, $"schema version {version}, older than this carrot's {SqliteSchemaMigrator.LatestVersion}.", "Any carrot command or a carrotd start migrates it; restart carrotd after upgrading.");

    private static DiagnosticCheck JournalMode(string mode) =>
        string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)
            ? DiagnosticCheck.Ok(Area, "journal mode WAL")
            : DiagnosticCheck.Warn(Area, $"journal mode {mode}, not WAL: readers and the writer block each other.", "Stop carrotd, then: sqlite3 DATABASE 'PRAGMA journal_mode=WAL'.");

    // A write lock taken and given back at once: proves this user can write the file, its -wal and -shm, and that no one holds the lock for long.
    private static async Task<DiagnosticCheck> WritableAsync(DatabaseProbe probe, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await probe.CanTakeWriteLockAsync(cancellationToken)
                ? DiagnosticCheck.Ok(Area, $"writable by this user ({Environment.UserName})")
                : DiagnosticCheck.Warn(Area, $"{path} stayed locked by another process for 2 s.", "A long write is running, or a process hangs holding the lock: look for it with fuser.");
        }
        catch (CarrotStoreException e)
        {
            return DiagnosticCheck.Fail(Area, e.Message, $"Run carrot as the user that owns the database (sudo -u carrot carrot ...), or give {Environment.UserName} write access to it and its folder.");
        }
    }

    private static async Task<DiagnosticCheck> DaemonsAsync(DatabaseProbe probe, CarrotOptions options, CancellationToken cancellationToken)
    {
        var window = LiveDaemonWindow(options);
        return Daemons(await probe.CountLiveDaemonsAsync(DateTimeOffset.UtcNow - window, cancellationToken), window);
    }

    /// <summary>A daemon that beat within three heartbeats counts as alive, for either engine's doctor.</summary>
    internal static TimeSpan LiveDaemonWindow(CarrotOptions options) => TimeSpan.FromSeconds(options.HeartbeatSeconds * 3);

    /// <summary>The doctor's line on live daemons, for either engine.</summary>
    internal static DiagnosticCheck Daemons(long alive, TimeSpan window) =>
        alive > 0
            ? DiagnosticCheck.Ok("daemons", $"{alive} carrotd alive (heartbeat within {window.TotalSeconds} s)")
            : DiagnosticCheck.Warn("daemons", "No carrotd is alive: queued tasks wait until one runs.", "Start it: systemctl start carrotd (or run carrotd).");
}
