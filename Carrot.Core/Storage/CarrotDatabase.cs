using System.Data;
using System.Data.Common;
using Dapper;

namespace Carrot.Storage;

/// <summary>
/// The one door to the database, whichever engine holds it: short reads, and short writes in one transaction each
/// (on SQLite <c>BEGIN IMMEDIATE</c>: a deferred transaction that reads then writes fails at once with SQLITE_BUSY when
/// another process wrote, which no busy handler can fix). Every database error leaves here as a
/// <see cref="Errors.CarrotStoreException"/>.
/// </summary>
internal sealed class CarrotDatabase(StoreEngine engine)
{
    public StoreEngine Engine => engine;

    /// <summary>What to show people: the file path, or the URI with its password hidden.</summary>
    public string Display => engine.Display;

    public SqlDialect Sql => engine.Sql;

    /// <summary>A connection of its own with the task hot-path statements prepared (the daemon's writer keeps one open).</summary>
    public Task<TaskWriteSession> OpenWriteSessionAsync(CancellationToken cancellationToken) => TaskWriteSession.OpenAsync(engine, cancellationToken);

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await engine.OpenAsync(cancellationToken);
            return await read(connection);
        }
        catch (DbException e)
        {
            throw engine.Translate(e);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one write transaction. The transaction is begun with SQL rather than
    /// <c>BeginTransaction</c>, which has no async form in Microsoft.Data.Sqlite and would block a thread while waiting
    /// on a lock; Dapper's commands then run inside it on either engine.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await engine.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(Statement(engine.Sql.BeginWrite, cancellationToken));
            try
            {
                var result = await write(connection);
                await connection.ExecuteAsync(Statement("COMMIT", CancellationToken.None));
                return result;
            }
            catch
            {
                await RollbackAsync(connection);
                throw;
            }
        }
        catch (DbException e)
        {
            throw engine.Translate(e);
        }
    }

    public Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async c =>
        {
            await write(c);
            return true;
        }, cancellationToken);

    /// <summary>Takes the engine's lock on <paramref name="name"/> until the caller's transaction commits (nothing to do on SQLite).</summary>
    internal static async Task LockNameAsync(DbConnection connection, SqlDialect sql, string name, CancellationToken cancellationToken)
    {
        if (sql.LockName is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, new { lockName = name }, cancellationToken: cancellationToken));
        }
    }

    // Text, said outright: Dapper takes a one-word command ("COMMIT") for the name of a stored procedure.
    private static CommandDefinition Statement(string sql, CancellationToken cancellationToken) =>
        new(sql, commandType: CommandType.Text, cancellationToken: cancellationToken);

    /// <summary>Tells listening daemons of a change on <paramref name="channel"/> when the caller's transaction commits (nothing on SQLite).</summary>
    internal static async Task NotifyAsync(DbConnection connection, SqlDialect sql, string channel, CancellationToken cancellationToken)
    {
        if (sql.Notify is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, new { channel }, cancellationToken: cancellationToken));
        }
    }

    private static async Task RollbackAsync(DbConnection connection)
    {
        try
        {
            await connection.ExecuteAsync(Statement("ROLLBACK", CancellationToken.None));
        }
        catch (DbException)
        {
            // The engine already rolled back (some errors end the transaction by themselves).
        }
    }
}
