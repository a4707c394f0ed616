using System.Data.Common;
using Carrot.Configuration;
using Carrot.Errors;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage.Sqlite;

/// <summary>
/// The embedded engine for one box: a local SQLite file in WAL mode, written with synchronous=FULL. Its clock is the
/// machine's, which is also the database's, since every process using the file runs on this machine.
/// </summary>
internal sealed class SqliteEngine(CarrotOptions options) : StoreEngine
{
    private readonly SqliteConnectionFactory _connections = new(options);

    public override string Display => _connections.DatabasePath;

    public override SqlDialect Sql => SqlDialect.Sqlite;

    public override TimeProvider Clock => TimeProvider.System;

    public SqliteConnectionFactory Connections => _connections;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _connections.OpenAsync(cancellationToken);

    public override Task<int> MigrateAsync(CancellationToken cancellationToken) => new SqliteSchemaMigrator(_connections).MigrateAsync(cancellationToken);

    public override async Task<int?> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: cancellationToken));
            return version == 0 ? null : version;
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, Display);
        }
    }

    public override CarrotStoreException Translate(DbException error) =>
        error is SqliteException sqlite ? SqliteErrors.Translate(sqlite, Display) : new CarrotStoreException($"Database error on {Display}: {error.Message}", error);
}
