using Carrot.Errors;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage.Sqlite;

/// <summary>
/// The doctor's look at an existing database file, with the SQL it needs kept in the store: opened read-write
/// without the create flag (a missing file stays missing), with a short busy timeout. Every SQLite error leaves as a
/// <see cref="CarrotStoreException"/>, except a lock held by someone else, which <see cref="CanTakeWriteLockAsync"/> reports.
/// </summary>
internal sealed class DatabaseProbe : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;

    private DatabaseProbe(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public static async Task<DatabaseProbe> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 2 }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new DatabaseProbe(connection, path);
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw SqliteErrors.Translate(e, path);
        }
    }

    public Task<string> SqliteVersionAsync(CancellationToken cancellationToken) =>
        ReadAsync(async () => await _connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken)) ?? "");

    public Task<int> SchemaVersionAsync(CancellationToken cancellationToken) =>
        ReadAsync(() => _connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: cancellationToken)));

    public Task<string> JournalModeAsync(CancellationToken cancellationToken) =>
        ReadAsync(async () => await _connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode", cancellationToken: cancellationToken)) ?? "");

    public Task<IReadOnlyList<string>> WorkerNamesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async () => (await _connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM workers ORDER BY name", cancellationToken: cancellationToken))).ToList());

    /// <summary>Daemons that heartbeat since <paramref name="since"/> and have not said they stopped.</summary>
    public Task<long> CountLiveDaemonsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAsync(() => _connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM daemons WHERE stopped_at IS NULL AND heartbeat_at >= @since", new { since = UnixTime.ToMs(since) }, cancellationToken: cancellationToken)));

    /// <summary>
    /// Takes the write lock and gives it back at once: true proves this user can write the file, its -wal and -shm;
    /// false means another process held the lock for the whole busy timeout.
    /// </summary>
    public async Task<bool> CanTakeWriteLockAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ExecuteAsync(new CommandDefinition("BEGIN IMMEDIATE", cancellationToken: cancellationToken));
            await _connection.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: cancellationToken));
            return true;
        }
        catch (SqliteException e) when (SqliteErrors.IsBusy(e))
        {
            return false;
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, _path);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, _path);
        }
    }
}
