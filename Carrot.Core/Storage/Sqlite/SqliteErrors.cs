using Carrot.Errors;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage.Sqlite;

/// <summary>Turns SQLite's error codes into one line that says what to do.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static bool IsBusy(SqliteException e) => e.SqliteErrorCode is Busy or Locked;

    /// <summary>The one decision of which errors are worth retrying: those of the database as a whole, not of one write.</summary>
    public static bool IsTransient(SqliteException e) => e.SqliteErrorCode is Busy or Locked or ReadOnly or IoError or Full or CantOpen;

    public static CarrotStoreException Translate(SqliteException e, string path) => new(Describe(e, path), e) { IsTransient = IsTransient(e) };

    private static string Describe(SqliteException e, string path) => e.SqliteErrorCode switch
    {
        Busy or Locked => $"The database {path} is locked by another process and stayed locked past the busy timeout; nothing was written. Try again, or raise busyTimeoutSeconds.",
        ReadOnly => $"The database {path} is read-only for this user; nothing was written. Give this user write access to the file and its folder (SQLite also writes -wal and -shm files there).",
        CantOpen => $"Cannot open the database {path}. Check that its folder exists and is writable by this user, or set {Configuration.CarrotConfiguration.DatabaseVariable}.",
        Full => $"The disk holding the database {path} is full; nothing was written. Free some space and try again.",
        NotADatabase => $"The file {path} is not a Carrot database (not SQLite, or damaged). Point {Configuration.CarrotConfiguration.DatabaseVariable} at the right file.",
        IoError => $"An I/O error occurred on the database {path}: {e.Message}",
        _ => $"Database error on {path}: {e.Message}",
    };
}
