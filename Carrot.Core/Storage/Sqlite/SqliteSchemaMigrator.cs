using Carrot.Errors;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage.Sqlite;

/// <summary>
/// Brings the database to the schema this build knows. Run by the CLI and the daemon at start; the version
/// lives in <c>PRAGMA user_version</c>, and each step runs inside one <c>BEGIN IMMEDIATE</c> transaction, so two
/// processes starting at once apply it once.
/// </summary>
internal sealed class SqliteSchemaMigrator(SqliteConnectionFactory connections)
{
    private static readonly EmbeddedMigrations Migrations = EmbeddedMigrations.Find("Carrot.Storage.Sqlite.Migrations.");

    public static int LatestVersion => Migrations.LatestVersion;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(connections.DatabasePath));
        if (folder is not null && !Directory.Exists(folder))
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CarrotStoreException($"Cannot create the database folder {folder}: {e.Message} Create it, or set {Configuration.CarrotConfiguration.DatabaseVariable} to a writable path.", e);
            }
        }

        StorageSafety.CheckFileSystem(connections.DatabasePath, StorageSafety.ReadMountInfo());
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            StorageSafety.CheckSqliteVersion(await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken)) ?? "", connections.DatabasePath);
            var current = await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: cancellationToken));
            if (current > LatestVersion)
            {
                throw new CarrotStoreException($"The database {connections.DatabasePath} has schema version {current}, newer than this Carrot knows ({LatestVersion}). Upgrade carrot and carrotd.");
            }

            if (current == LatestVersion)
            {
                return current;
            }

            // journal_mode cannot change inside a transaction; it is persistent, so once is enough.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("BEGIN IMMEDIATE", cancellationToken: cancellationToken));
            current = await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: cancellationToken));
            foreach (var (version, name) in Migrations.Steps.Where(m => m.Version > current))
            {
                await connection.ExecuteAsync(new CommandDefinition(EmbeddedMigrations.Read(name), cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version}", cancellationToken: cancellationToken));
                current = version;
            }

            await connection.ExecuteAsync(new CommandDefinition("COMMIT", cancellationToken: CancellationToken.None));
            return current;
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, connections.DatabasePath);
        }
    }
}
