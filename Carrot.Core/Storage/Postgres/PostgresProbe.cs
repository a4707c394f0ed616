using Carrot.Configuration;
using Dapper;
using Npgsql;

namespace Carrot.Storage.Postgres;

/// <summary>
/// The doctor's look at a PostgreSQL store, with the SQL it needs kept in the store: it reads and never migrates, so
/// it also works as a user without DDL rights. Every database error leaves as a <see cref="Errors.CarrotStoreException"/>.
/// </summary>
internal sealed class PostgresProbe(PostgresEngine engine)
{
    /// <summary>The tables every producer and daemon reads and writes.</summary>
    public static readonly IReadOnlyList<string> Tables = ["tasks", "task_logs", "task_attempts", "task_counts", "workers", "daemons", "schedules"];

    public static PostgresProbe For(CarrotOptions options) => new(new PostgresEngine(DatabaseAddress.Parse(options.Database), options));

    public string Display => engine.Display;

    public Task<string> ServerVersionAsync(CancellationToken cancellationToken) =>
        ReadAsync(async c => await c.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: cancellationToken)) ?? "");

    public Task<int?> SchemaVersionAsync(CancellationToken cancellationToken) => engine.SchemaVersionAsync(cancellationToken);

    /// <summary>Whether the database holds Carrot's schema at all (its version table).</summary>
    public Task<bool> HasSchemaAsync(CancellationToken cancellationToken) =>
        ReadAsync(c => c.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT to_regclass('carrot_schema') IS NOT NULL", cancellationToken: cancellationToken)));

    /// <summary>Carrot's tables on which the connecting user lacks SELECT, INSERT, UPDATE or DELETE (SELECT on the version table).</summary>
    public Task<IReadOnlyList<string>> TablesLackingRightsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT t FROM unnest(@tables) AS t
            WHERE to_regclass(t) IS NULL OR NOT has_table_privilege(current_user, t, 'SELECT, INSERT, UPDATE, DELETE')
            UNION ALL
            SELECT 'carrot_schema' WHERE NOT has_table_privilege(current_user, 'carrot_schema', 'SELECT')
            """,
            new { tables = Tables.ToArray() }, cancellationToken: cancellationToken))).ToList());

    public Task<string> UserAsync(CancellationToken cancellationToken) =>
        ReadAsync(async c => await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_user", cancellationToken: cancellationToken)) ?? "");

    public Task<IReadOnlyList<string>> WorkerNamesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM workers ORDER BY name", cancellationToken: cancellationToken))).ToList());

    /// <summary>Daemons that beat within <paramref name="window"/> by the server's clock, and have not said they stopped.</summary>
    public Task<long> CountLiveDaemonsAsync(TimeSpan window, CancellationToken cancellationToken) =>
        ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM daemons WHERE stopped_at IS NULL AND heartbeat_at >= (extract(epoch FROM clock_timestamp()) * 1000)::bigint - @windowMs",
            new { windowMs = (long)window.TotalMilliseconds }, cancellationToken: cancellationToken)));

    /// <summary>How far this machine's clock is from the server's (the store writes times by the server's).</summary>
    public async Task<TimeSpan> ClockOffsetAsync(CancellationToken cancellationToken)
    {
        await engine.SyncClockAsync(cancellationToken);
        return engine.DatabaseClock.Offset;
    }

    public ValueTask DisposeAsync() => engine.DisposeAsync();

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read)
    {
        try
        {
            await using var connection = (NpgsqlConnection)await engine.OpenAsync(CancellationToken.None);
            return await read(connection);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, engine.Display);
        }
    }
}
