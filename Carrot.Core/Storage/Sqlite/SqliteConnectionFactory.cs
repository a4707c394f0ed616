using Carrot.Configuration;
using Carrot.Errors;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage.Sqlite;

/// <summary>
/// Opens connections with the settings every Carrot process must share: WAL, synchronous=FULL (a confirmed
/// message must never point at a row that a power loss took away) and a busy timeout.
/// One connection per operation: SqliteConnection is not thread-safe, and pooling keeps opening cheap.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;

    public SqliteConnectionFactory(CarrotOptions options)
    {
        DatabasePath = options.Database;
        BusyTimeout = TimeSpan.FromSeconds(options.BusyTimeoutSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Database,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = options.BusyTimeoutSeconds,
            ForeignKeys = true,
        }.ToString();
    }

    public string DatabasePath { get; }

    public TimeSpan BusyTimeout { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw SqliteErrors.Translate(e, DatabasePath);
        }
    }
}
