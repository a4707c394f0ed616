using System.Data.Common;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Storage.Postgres;
using Carrot.Storage.Sqlite;

namespace Carrot.Storage;

/// <summary>
/// One database engine behind the stores: how to connect, how a write transaction begins, which errors mean what,
/// the schema migrations, and whose clock is "now". The stores (<see cref="TaskStore"/>, …) hold all the SQL and run
/// it on either engine; <see cref="SqlDialect"/> has the few places where it differs.
/// </summary>
internal abstract class StoreEngine : IAsyncDisposable
{
    /// <summary>What to show people: the file path, or the URI with its password hidden.</summary>
    public abstract string Display { get; }

    public abstract SqlDialect Sql { get; }

    /// <summary>
    /// The time the stores write and compare with: the database's own clock, so that hosts whose clocks disagree
    /// still agree on when a lease expires or a schedule is due.
    /// </summary>
    public abstract TimeProvider Clock { get; }

    /// <summary>Opens a connection with the settings every Carrot process must share.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Brings the schema to this build's version (creating it), and returns that version.</summary>
    public abstract Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The schema version the database has now, or null when it has none yet.</summary>
    public abstract Task<int?> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Whether <see cref="ListenAsync"/> really tells of changes (then pollers may wait longer between polls).</summary>
    public virtual bool NotifiesChanges => false;

    /// <summary>
    /// Raises <paramref name="changes"/> as the store is told of them, until <paramref name="cancellationToken"/> fires;
    /// throws when the listening breaks (the caller starts it again). An engine that tells nothing just waits.
    /// </summary>
    public virtual Task ListenAsync(StoreChanges changes, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    /// <summary>Reads the database's clock again (a long-running process calls this now and then).</summary>
    public virtual Task SyncClockAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One line that says what went wrong and what to do, and whether the database as a whole is at fault.</summary>
    public abstract CarrotStoreException Translate(DbException error);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The engine the <c>database</c> setting names: a postgresql:// URI, else an SQLite file.</summary>
    public static StoreEngine Create(CarrotOptions options) =>
        DatabaseAddress.Parse(options.Database) is { IsPostgres: true } address
            ? new PostgresEngine(address, options)
            : new SqliteEngine(options);
}
