using Carrot.Configuration;
using Carrot.Storage;
using Carrot.Tests.Unit;
using Dapper;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// A real SQLite file in a fresh temp folder per test, migrated, with the stores on a clock the test moves.
/// </summary>
public abstract class StorageTestBase
{
    private string _folder = "";

    internal FakeClock Clock { get; private set; } = null!;

    internal CarrotOptions Options { get; private set; } = null!;

    internal SqliteConnectionFactory Connections { get; private set; } = null!;

    internal CarrotDatabase Database { get; private set; } = null!;

    internal TaskStore Tasks { get; private set; } = null!;

    internal WorkerStore Workers { get; private set; } = null!;

    internal DaemonStore Daemons { get; private set; } = null!;

    internal ScheduleStore Schedules { get; private set; } = null!;

    protected string DatabasePath => Options.Database;

    protected string Folder => _folder;

    /// <summary>How long a writer waits on a lock in these tests; short, so lock tests stay fast.</summary>
    protected virtual int BusyTimeoutSeconds => 10;

    [SetUp]
    public async Task CreateDatabase()
    {
        _folder = TempFolder.Create();
        Clock = new FakeClock();
        Options = new CarrotOptions { Database = Path.Combine(_folder, "carrot.db"), BusyTimeoutSeconds = BusyTimeoutSeconds };
        Connections = new SqliteConnectionFactory(Options);
        await new SchemaMigrator(Connections).MigrateAsync(CancellationToken.None);
        Database = new CarrotDatabase(Connections);
        Tasks = new TaskStore(Database, Clock);
        Workers = new WorkerStore(Database, Clock);
        Daemons = new DaemonStore(Database, Clock);
        Schedules = new ScheduleStore(Database, Clock);
    }

    [TearDown]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }

    /// <summary>A connection of the test's own, not from the product's factory, for looking at rows directly.</summary>
    protected SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = OpenRaw();
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    internal static NewTask NewTask(string kallable = "MyLib.Jobs.Bark", string worker = "default", int maxAttempts = 3, int priority = 0) =>
        new(kallable, """["Rex"]""", """{"times":2}""", worker, priority, maxAttempts);
}
