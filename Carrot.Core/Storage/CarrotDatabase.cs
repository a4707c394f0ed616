using Carrot.Errors;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage;

/// <summary>
/// The one door to the SQLite file: short reads, and short writes in <c>BEGIN IMMEDIATE</c> transactions
/// (a deferred transaction that reads then writes fails at once with SQLITE_BUSY when another process wrote,
/// which no busy handler can fix). Every SQLite error leaves here as a <see cref="CarrotStoreException"/>.
/// </summary>
internal sealed class CarrotDatabase(SqliteConnectionFactory connections)
{
    public string Path => connections.DatabasePath;

    /// <summary>A connection of its own with the task hot-path statements prepared (the daemon's writer keeps one open).</summary>
    public Task<TaskWriteSession> OpenWriteSessionAsync(CancellationToken cancellationToken) => TaskWriteSession.OpenAsync(connections, cancellationToken);

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            return await read(connection);
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Translate(e, Path);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one immediate transaction. The transaction is begun with SQL rather than
    /// <c>SqliteConnection.BeginTransaction</c>, which has no async form and would block a thread while waiting on a lock.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("BEGIN IMMEDIATE", cancellationToken: cancellationToken));
            try
            {
                var result = await write(connection);
                await connection.ExecuteAsync(new CommandDefinition("COMMIT", cancellationToken: CancellationToken.None));
                return result;
            }
            catch
            {
                await RollbackAsync(connection);
                throw;
            }
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Translate(e, Path);
        }
    }

    public Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async c =>
        {
            await write(c);
            return true;
        }, cancellationToken);

    private static async Task RollbackAsync(SqliteConnection connection)
    {
        try
        {
            await connection.ExecuteAsync("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (some errors end the transaction by themselves).
        }
    }
}
