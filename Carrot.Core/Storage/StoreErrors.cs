using Carrot.Errors;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage;

/// <summary>Turns SQLite's error codes into one line that says what to do.</summary>
internal static class StoreErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static bool IsBusy(SqliteException e) => e.SqliteErrorCode is Busy or Locked;

    public static CarrotStoreException Translate(SqliteException e, string path) => e.SqliteErrorCode switch
    {
        Busy or Locked => new CarrotStoreException($"The database {path} is locked by another process and stayed locked past the busy timeout; nothing was written. Try again, or raise busyTimeoutSeconds.", e),
        ReadOnly => new CarrotStoreException($"The database {path} is read-only for this user; nothing was written. Give this user write access to the file and its folder (SQLite also writes -wal and -shm files there).", e),
        CantOpen => new CarrotStoreException($"Cannot open the database {path}. Check that its folder exists and is writable by this user, or set {Configuration.CarrotConfiguration.DatabaseVariable}.", e),
        Full => new CarrotStoreException($"The disk holding the database {path} is full; nothing was written. Free some space and try again.", e),
        NotADatabase => new CarrotStoreException($"The file {path} is not a Carrot database (not SQLite, or damaged). Point {Configuration.CarrotConfiguration.DatabaseVariable} at the right file.", e),
        IoError => new CarrotStoreException($"An I/O error occurred on the database {path}: {e.Message}", e),
        _ => new CarrotStoreException($"Database error on {path}: {e.Message}", e),
    };
}
