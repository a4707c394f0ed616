using System.Diagnostics;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Storage.Postgres;
using Carrot.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Carrot.Storage;

/// <summary>
/// Moves one box to many: copies a stopped SQLite store — workers, schedules, tasks with their ids, their attempts and
/// log lines — into an empty PostgreSQL store, in one transaction there (all or nothing), with PostgreSQL's COPY. The
/// counts follow from the triggers as the rows arrive; the id sequences are moved past the copied ids.
/// </summary>
internal static class StoreCopy
{
    // In the order their foreign keys need; task_counts and task_throughput are rebuilt by the triggers, daemons are not history.
    private static readonly string[] Tables = ["workers", "schedules", "tasks", "task_logs", "task_attempts"];

    public static async Task<CopyReport> CopyAsync(CarrotOptions source, string target, TimeSpan aliveWithin, CancellationToken cancellationToken)
    {
        if (DatabaseAddress.Parse(source.Database).IsPostgres)
        {
            throw new CarrotInputException("'carrot db copy' copies an SQLite database into PostgreSQL; the configured database is already PostgreSQL.");
        }

        var to = DatabaseAddress.Parse(target);
        if (!to.IsPostgres)
        {
            throw new CarrotInputException($"--to must be a postgresql:// URI (postgresql://USER:PASSWORD@HOST:PORT/DBNAME), not '{to.Redacted}'.");
        }

        if (!File.Exists(source.Database))
        {
            throw new CarrotInputException($"There is no SQLite database at {source.Database} to copy.");
        }

        var watch = Stopwatch.StartNew();
        await using var sqlite = new SqliteEngine(source);
        await sqlite.MigrateAsync(cancellationToken);
        await using var postgres = new PostgresEngine(to, source);
        await postgres.MigrateAsync(cancellationToken);
        try
        {
            await using var from = (SqliteConnection)await sqlite.OpenAsync(cancellationToken);
            var alive = await from.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM daemons WHERE stopped_at IS NULL AND heartbeat_at >= @since",
                new { since = UnixTime.ToMs(DateTimeOffset.UtcNow - aliveWithin) }, cancellationToken: cancellationToken));
            if (alive > 0)
            {
                throw new CarrotInputException($"{alive} carrotd still run(s) on {sqlite.Display}; stop them first (systemctl stop carrotd), so that nothing changes while it is copied.");
            }

            await using var into = (NpgsqlConnection)await postgres.OpenAsync(cancellationToken);
            await using var transaction = await into.BeginTransactionAsync(cancellationToken);
            var present = await into.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM schedules) + (SELECT count(*) FROM workers WHERE name <> 'default')",
                transaction: transaction, cancellationToken: cancellationToken));
            if (present > 0)
            {
                throw new CarrotInputException($"The target {postgres.Display} already holds tasks, schedules or workers; 'carrot db copy' only fills an empty store. Use a new database (createdb NAME).");
            }

            // The fresh store's default worker gives way to the copied one (its concurrency and description).
            await into.ExecuteAsync(new CommandDefinition("DELETE FROM workers", transaction: transaction, cancellationToken: cancellationToken));
            var counts = new Dictionary<string, long>();
            foreach (var table in Tables)
            {
                counts[table] = await CopyTableAsync(from, into, table, cancellationToken);
            }

            foreach (var table in new[] { "tasks", "schedules" })
            {
                await into.ExecuteAsync(new CommandDefinition(
                    $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
                    transaction: transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return new CopyReport(sqlite.Display, postgres.Display, counts, watch.Elapsed);
        }
        catch (SqliteException e)
        {
            throw sqlite.Translate(e);
        }
        catch (NpgsqlException e)
        {
            throw postgres.Translate(e);
        }
    }

    private static async Task<long> CopyTableAsync(SqliteConnection from, NpgsqlConnection into, string table, CancellationToken cancellationToken)
    {
        var columns = (await from.QueryAsync<string>(new CommandDefinition($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", cancellationToken: cancellationToken))).ToList();
        var list = string.Join(", ", columns);
        await using var read = from.CreateCommand();
        read.CommandText = $"SELECT {list} FROM {table}";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await using var writer = await into.BeginBinaryImportAsync($"COPY {table} ({list}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                // SQLite hands back what it stored: integers as Int64, text as String (the schemas are twins).
                switch (reader.GetValue(i))
                {
                    case DBNull:
                        await writer.WriteNullAsync(cancellationToken);
                        break;
                    case long number:
                        await writer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    case var value:
                        await writer.WriteAsync(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken);
                        break;
                }
            }

            rows++;
        }

        await writer.CompleteAsync(cancellationToken);
        return rows;
    }
}
