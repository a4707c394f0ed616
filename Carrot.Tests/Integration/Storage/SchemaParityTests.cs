using Carrot.Configuration;
using Carrot.Storage;
using Carrot.Tests.Unit;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// Each engine has its own migration set; this keeps them one schema: the same version, tables, columns (name, type
/// family, nullability) and indexes, read back from real databases migrated from empty.
/// </summary>
[TestFixture]
public sealed class SchemaParityTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // PostgreSQL's kept counts keep one row per connection slot (a hot row otherwise): the one difference, on purpose.
    private static readonly HashSet<string> PostgresOnlyColumns = ["task_counts.slot", "task_throughput.slot"];

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = TempFolder.Create();

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }

    [Test]
    public async Task BothEngines_MigrateToTheSameVersion_Tables_Columns_AndIndexes()
    {
        var sqlitePath = Path.Combine(_folder, "carrot.db");
        var postgresUri = await SharedPostgres.CreateDatabaseAsync(migrated: false);
        int sqliteVersion, postgresVersion;
        await using (var sqlite = StoreEngine.Create(new CarrotOptions { Database = sqlitePath }))
        {
            sqliteVersion = await sqlite.MigrateAsync(None);
        }

        await using (var postgres = StoreEngine.Create(new CarrotOptions { Database = postgresUri }))
        {
            postgresVersion = await postgres.MigrateAsync(None);
        }

        var sqliteSchema = await ReadSqliteAsync(sqlitePath);
        var postgresSchema = await ReadPostgresAsync(postgresUri);
        await SharedPostgres.DropDatabaseAsync(postgresUri);

        Assert.Multiple(() =>
        {
            Assert.That(postgresVersion, Is.EqualTo(sqliteVersion), "schema versions");
            Assert.That(postgresSchema.Columns.Where(c => !PostgresOnlyColumns.Contains(c.Split(' ')[0])), Is.EquivalentTo(sqliteSchema.Columns), "columns");
            Assert.That(postgresSchema.Indexes, Is.EquivalentTo(sqliteSchema.Indexes), "indexes");
        });
    }

    private static async Task<(List<string> Columns, List<string> Indexes)> ReadSqliteAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).ToList();
        var columns = new List<string>();
        foreach (var table in tables)
        {
            foreach (var column in await connection.QueryAsync<(long Cid, string Name, string Type, long NotNull, string? Default, long Pk)>($"PRAGMA table_info({table})"))
            {
                columns.Add($"{table}.{column.Name} {Family(column.Type)} {(column.NotNull != 0 || column.Pk != 0 ? "not null" : "null")}");
            }
        }

        var indexes = (await connection.QueryAsync<string>("SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")).ToList();
        return (columns, indexes);
    }

    private static async Task<(List<string> Columns, List<string> Indexes)> ReadPostgresAsync(string uri)
    {
        await using var connection = new NpgsqlConnection(SharedPostgres.ConnectionString(uri));
        await connection.OpenAsync();
        var columns = (await connection.QueryAsync<(string Table, string Name, string Type, string Nullable)>(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'carrot_schema'"))
            .Select(c => $"{c.Table}.{c.Name} {Family(c.Type)} {(c.Nullable == "NO" ? "not null" : "null")}")
            .ToList();
        // Primary keys and UNIQUE constraints bring their own indexes on both engines (SQLite's autoindexes): left out.
        var indexes = (await connection.QueryAsync<string>(
                """
                SELECT i.tablename || '.' || i.indexname FROM pg_indexes i
                WHERE i.schemaname = 'public' AND i.tablename <> 'carrot_schema'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """))
            .ToList();
        return (columns, indexes);
    }

    private static string Family(string type) => type.ToUpperInvariant() switch
    {
        "INTEGER" or "BIGINT" => "integer",
        "TEXT" => "text",
        var other => other.ToLowerInvariant(),
    };
}
