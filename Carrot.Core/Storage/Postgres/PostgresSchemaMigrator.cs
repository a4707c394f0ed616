using Dapper;
using Npgsql;

namespace Carrot.Storage.Postgres;

/// <summary>
/// Brings a PostgreSQL database to the schema this build knows, with its own migration set (the same versions and
/// the same tables, columns and indexes as SQLite's; a test checks the two agree). The version lives in the
/// <c>carrot_schema</c> table. Reading it needs no DDL rights, so producers and daemons can run as a user without
/// them once <c>carrot db migrate</c> applied the schema; the steps run in one transaction under an advisory lock,
/// so two processes starting at once apply them once.
/// </summary>
internal sealed class PostgresSchemaMigrator(PostgresEngine engine)
{
    // Any constant: the lock only keeps two migrating processes apart.
    private const long MigrationLock = 0x636172726f74;

    private static readonly EmbeddedMigrations Migrations = EmbeddedMigrations.Find("Carrot.Storage.Postgres.Migrations.");

    public static int LatestVersion => Migrations.LatestVersion;

    public async Task<int?> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await engine.OpenAsync(cancellationToken);
        return await ReadVersionAsync((NpgsqlConnection)connection, cancellationToken);
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = (NpgsqlConnection)await engine.OpenAsync(cancellationToken);
            var current = await ReadVersionAsync(connection, cancellationToken) ?? 0;
            if (current > LatestVersion)
            {
                throw new Errors.CarrotStoreException($"The database {engine.Display} has schema version {current}, newer than this Carrot knows ({LatestVersion}). Upgrade carrot and carrotd.");
            }

            if (current == LatestVersion)
            {
                return current;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@MigrationLock)", new { MigrationLock }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("CREATE TABLE IF NOT EXISTS carrot_schema (version integer NOT NULL)", transaction: transaction, cancellationToken: cancellationToken));
            current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT max(version) FROM carrot_schema", transaction: transaction, cancellationToken: cancellationToken)) ?? 0;
            foreach (var (version, name) in Migrations.Steps.Where(m => m.Version > current))
            {
                await connection.ExecuteAsync(new CommandDefinition(EmbeddedMigrations.Read(name), transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM carrot_schema; INSERT INTO carrot_schema (version) VALUES (@version)", new { version }, transaction, cancellationToken: cancellationToken));
                current = version;
            }

            await transaction.CommitAsync(CancellationToken.None);
            return current;
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, engine.Display);
        }
    }

    private static async Task<int?> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('carrot_schema') IS NOT NULL", cancellationToken: cancellationToken));
        return exists
            ? await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT max(version) FROM carrot_schema", cancellationToken: cancellationToken))
            : null;
    }
}
