using Carrot.Errors;
using Carrot.Storage;
using Carrot.Storage.Sqlite;
using Dapper;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

[TestFixture]
public sealed class SchemaMigratorTests : StorageTestBase
{
    [Test]
    public void MigrateAsync_CreatesTheSchema()
    {
        using var connection = OpenRaw();
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").ToList();
        var indexes = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(tables, Is.EqualTo((string[])["daemons", "schedules", "task_attempts", "task_counts", "task_logs", "task_throughput", "tasks", "workers"]));
            Assert.That(indexes, Is.SupersetOf((string[])["ix_tasks_status", "ix_tasks_unpublished", "ix_tasks_leases", "ix_daemons_heartbeat", "ix_tasks_due", "ix_tasks_finished", "ix_schedules_due"]));
            Assert.That(connection.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(SqliteSchemaMigrator.LatestVersion));
        });
    }

    [Test]
    public void MigrateAsync_SwitchesTheDatabaseToWal()
    {
        Assert.That(Scalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task MigrateAsync_IsIdempotent()
    {
        await Workers.AddAsync("video", 2, "kept", CancellationToken.None);
        var id = await Tasks.InsertAsync(NewTask(), CancellationToken.None);

        var again = await new SqliteSchemaMigrator(((SqliteEngine)Engine).Connections).MigrateAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(SqliteSchemaMigrator.LatestVersion));
            Assert.That(Scalar<long>("SELECT count(*) FROM workers WHERE name = 'default'"), Is.EqualTo(1));
            Assert.That(Scalar<long>("SELECT count(*) FROM workers"), Is.EqualTo(2));
            Assert.That(Scalar<long>("SELECT count(*) FROM tasks WHERE id = @id", new { id }), Is.EqualTo(1));
            Assert.That(Scalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        });
    }

    [Test]
    public async Task MigrateAsync_AppliesTheSchemaOnce_WhenProcessesStartTogether()
    {
        var fresh = new Carrot.Configuration.CarrotOptions { Database = Path.Combine(Folder, "race.db") };

        var versions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => new SqliteSchemaMigrator(new SqliteConnectionFactory(fresh)).MigrateAsync(CancellationToken.None))));

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fresh.Database};Pooling=False");
        connection.Open();
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.All.EqualTo(SqliteSchemaMigrator.LatestVersion));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM workers"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task MigrateAsync_CreatesAMissingFolder()
    {
        var nested = new Carrot.Configuration.CarrotOptions { Database = Path.Combine(Folder, "a", "b", "carrot.db") };

        await new SqliteSchemaMigrator(new SqliteConnectionFactory(nested)).MigrateAsync(CancellationToken.None);

        Assert.That(File.Exists(nested.Database), Is.True);
    }

    [Test]
    public void MigrateAsync_RefusesADatabaseFromANewerCarrot()
    {
        using (var connection = OpenRaw())
        {
            connection.Execute($"PRAGMA user_version = {SqliteSchemaMigrator.LatestVersion + 1}");
        }

        var error = Assert.ThrowsAsync<CarrotStoreException>(() => new SqliteSchemaMigrator(((SqliteEngine)Engine).Connections).MigrateAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"schema version {SqliteSchemaMigrator.LatestVersion + 1}, newer than this Carrot knows").And.Contain("Upgrade"));
    }

    [Test]
    public void MigrateAsync_RefusesAFileThatIsNotADatabase()
    {
        var junk = Path.Combine(Folder, "junk.db");
        File.WriteAllText(junk, new string('x', 4096));
        var options = new Carrot.Configuration.CarrotOptions { Database = junk };

        var error = Assert.ThrowsAsync<CarrotStoreException>(() => new SqliteSchemaMigrator(new SqliteConnectionFactory(options)).MigrateAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"The file {junk} is not a Carrot database"));
    }

    [Test]
    public void SqliteVersion_HasTheWalResetFix()
    {
        // SQLite before 3.51.3 can corrupt a WAL database when a checkpoint races a WAL reset across processes.
        var text = Scalar<string>("select sqlite_version()");
        var version = Version.Parse(text);
        TestContext.Out.WriteLine($"SQLite {text}");

        Assert.That(version, Is.GreaterThanOrEqualTo(new Version(3, 51, 3)), $"SQLite {text} is in use");
    }

    [Test]
    public async Task OpenAsync_SetsSynchronousFull_TheBusyTimeout_AndForeignKeys()
    {
        await using var connection = await ((SqliteEngine)Engine).Connections.OpenAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(connection.ExecuteScalar<long>("PRAGMA synchronous"), Is.EqualTo(2), "FULL");
            Assert.That(connection.ExecuteScalar<long>("PRAGMA busy_timeout"), Is.EqualTo(Options.BusyTimeoutSeconds * 1000));
            Assert.That(connection.ExecuteScalar<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
            Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        });
    }

    [Test]
    public async Task DefaultWorker_ExistsAfterMigration()
    {
        var worker = await Workers.GetAsync("default", CancellationToken.None);

        Assert.That(worker, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(worker!.Concurrency, Is.EqualTo(4));
            Assert.That(worker.Description, Is.EqualTo("Runs every task that names no worker"));
            Assert.That(worker.CreatedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public void OpenAsync_ExplainsAFolderThatCannotBeOpened()
    {
        var options = new Carrot.Configuration.CarrotOptions { Database = Path.Combine(Folder, "missing", "carrot.db") };

        var error = Assert.ThrowsAsync<CarrotStoreException>(() => new SqliteConnectionFactory(options).OpenAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"Cannot open the database {options.Database}"));
    }
}
