using System.Data.Common;
using Carrot.Configuration;
using Carrot.Storage;
using Carrot.Tests.Unit;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

/// <summary>
/// The stores on a fresh, migrated database per test, on a clock the test moves. A fixture that derives from this
/// and carries <c>[TestFixture(StoreKind.Sqlite)]</c> and <c>[TestFixture(StoreKind.Postgres)]</c> is part of the store
/// conformance suite: the same test bodies run against a real SQLite file and a real PostgreSQL database (a private
/// server the run starts, see <see cref="SharedPostgres"/>). The parameterless constructor means SQLite only, for
/// tests of what only that engine has (its locks, its file).
/// </summary>
public abstract class StorageTestBase
{
    private readonly List<StoreEngine> _others = [];
    private string _folder = "";

    protected StorageTestBase()
        : this(StoreKind.Sqlite)
    {
    }

    protected StorageTestBase(StoreKind kind)
    {
        Kind = kind;
    }

    protected StoreKind Kind { get; }

    internal FakeClock Clock { get; private set; } = null!;

    internal CarrotOptions Options { get; private set; } = null!;

    internal StoreEngine Engine { get; private set; } = null!;

    internal CarrotDatabase Database { get; private set; } = null!;

    internal TaskStore Tasks { get; private set; } = null!;

    internal WorkerStore Workers { get; private set; } = null!;

    internal DaemonStore Daemons { get; private set; } = null!;

    internal ScheduleStore Schedules { get; private set; } = null!;

    /// <summary>The SQLite file (SQLite fixtures only).</summary>
    protected string DatabasePath => Kind == StoreKind.Sqlite ? Options.Database : throw new InvalidOperationException("A PostgreSQL fixture has no database file.");

    protected string Folder => _folder;

    /// <summary>How long a writer waits on a lock in these tests; short, so lock tests stay fast.</summary>
    protected virtual int BusyTimeoutSeconds => 10;

    [SetUp]
    public async Task CreateDatabase()
    {
        _folder = TempFolder.Create();
        Clock = new FakeClock();
        var database = Kind == StoreKind.Sqlite ? Path.Combine(_folder, "carrot.db") : await SharedPostgres.CreateDatabaseAsync(migrated: true);
        Options = new CarrotOptions { Database = database, BusyTimeoutSeconds = BusyTimeoutSeconds };
        Engine = StoreEngine.Create(Options);
        await Engine.MigrateAsync(CancellationToken.None);
        Database = new CarrotDatabase(Engine);
        Tasks = new TaskStore(Database, Clock);
        Workers = new WorkerStore(Database, Clock);
        Daemons = new DaemonStore(Database, Clock);
        Schedules = new ScheduleStore(Database, Clock);
    }

    [TearDown]
    public async Task DeleteDatabase()
    {
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        _others.Clear();
        await Engine.DisposeAsync();
        if (Kind == StoreKind.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
        else
        {
            await SharedPostgres.DropDatabaseAsync(Options.Database);
        }

        TempFolder.Delete(_folder);
    }

    /// <summary>The same database through connections of its own, as another process (a second daemon, a producer) has.</summary>
    internal CarrotDatabase OpenAnotherDatabase()
    {
        var engine = StoreEngine.Create(Options);
        _others.Add(engine);
        return new CarrotDatabase(engine);
    }

    /// <summary>A connection of the test's own, not from the product's engine, for looking at rows directly.</summary>
    protected DbConnection OpenRaw()
    {
        DbConnection connection = Kind == StoreKind.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString())
            : new NpgsqlConnection(SharedPostgres.ConnectionString(Options.Database));
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
