using System.Data.Common;
using Carrot.Configuration;
using Carrot.Errors;
using Npgsql;

namespace Carrot.Storage.Postgres;

/// <summary>
/// The shared engine for many hosts: a PostgreSQL server reached through one pooled <see cref="NpgsqlDataSource"/>,
/// with Npgsql's automatic preparation of the statements used over and over (claims, outcomes, log lines). "Now" is
/// the server's clock (<see cref="DatabaseClock"/>), read at start and again with every heartbeat.
/// </summary>
internal sealed class PostgresEngine : StoreEngine
{
    private readonly NpgsqlDataSource _source;
    private readonly DatabaseClock _clock = new(TimeProvider.System);

    public PostgresEngine(DatabaseAddress address, CarrotOptions options)
    {
        Display = address.Redacted;
        var builder = new NpgsqlConnectionStringBuilder();
        try
        {
            foreach (var (keyword, value) in address.Settings)
            {
                builder[keyword] = value;
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new CarrotConfigurationException($"The database URI '{address.Redacted}' has a value PostgreSQL's client refuses: {e.Message.Split('\n')[0]} Fix it in \"database\".", e);
        }

        if (!address.Settings.ContainsKey("Timeout"))
        {
            builder.Timeout = 15;
        }

        builder.ApplicationName ??= "carrot";
        // busyTimeoutSeconds means what it means on SQLite: a write that waits on a lock that long fails as transient.
        builder.Options = $"{builder.Options} -c lock_timeout={options.BusyTimeoutSeconds * 1000}".Trim();
        builder.CommandTimeout = Math.Max(30, options.BusyTimeoutSeconds);
        builder.MaxAutoPrepare = 64;
        builder.AutoPrepareMinUsages = 2;
        _source = NpgsqlDataSource.Create(builder);
    }

    public override string Display { get; }

    public override SqlDialect Sql => SqlDialect.Postgres;

    public override TimeProvider Clock => _clock;

    public DatabaseClock DatabaseClock => _clock;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, Display);
        }
    }

    public override async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var version = await new PostgresSchemaMigrator(this).MigrateAsync(cancellationToken);
        await SyncClockAsync(cancellationToken);
        return version;
    }

    public override bool NotifiesChanges => true;

    /// <summary>LISTENs on its own connection and raises what is notified; after a reconnect, everything (a gap may have lost some).</summary>
    public override async Task ListenAsync(StoreChanges changes, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = (NpgsqlConnection)await OpenAsync(cancellationToken);
            connection.Notification += (_, e) => changes.Raise(e.Channel);
            await using (var listen = connection.CreateCommand())
            {
                listen.CommandText = $"LISTEN {StoreChanges.CancelChannel}; LISTEN {StoreChanges.WorkersChannel}";
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            changes.RaiseAll();
            while (true)
            {
                await connection.WaitAsync(cancellationToken);
            }
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, Display);
        }
    }

    public override Task<int?> SchemaVersionAsync(CancellationToken cancellationToken) => Run(() => new PostgresSchemaMigrator(this).ReadVersionAsync(cancellationToken));

    public override Task SyncClockAsync(CancellationToken cancellationToken) => Run(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await _clock.SyncAsync(connection, cancellationToken);
        return true;
    });

    public override CarrotStoreException Translate(DbException error) =>
        error is NpgsqlException npgsql ? PostgresErrors.Translate(npgsql, Display) : new CarrotStoreException($"Database error on {Display}: {error.Message}", error);

    public override async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<T> Run<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, Display);
        }
    }
}
