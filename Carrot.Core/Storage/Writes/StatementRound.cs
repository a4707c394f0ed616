using System.Data;
using System.Data.Common;

namespace Carrot.Storage.Writes;

/// <summary>
/// Statements sent to the database together: on PostgreSQL one <see cref="DbBatch"/>, one round trip for all of them
/// (the writer's cost there is round trips, not work: a batch of claims and outcomes written one statement at a time
/// took ~3 round trips a task); on SQLite, which runs in the process and has no batches, one after another on commands
/// the session keeps prepared. The order is kept; a failing statement fails the round (PostgreSQL skips the rest), and
/// the caller rolls back.
/// </summary>
internal sealed class StatementRound(DbConnection connection, PreparedCommands prepared, SqlDialect sql)
{
    private readonly List<Statement> _statements = [];

    public SqlDialect Sql => sql;

    public int Count => _statements.Count;

    /// <summary>A statement that returns no rows (an insert, an update without RETURNING).</summary>
    public void Add(string sql, params (string Name, DbType Type, object? Value)[] parameters) =>
        _statements.Add(new Statement(sql, parameters, null));

    /// <summary>A statement that returns a result set (possibly empty), handed to <paramref name="read"/>.</summary>
    public void Add(string sql, Func<DbDataReader, Task> read, params (string Name, DbType Type, object? Value)[] parameters) =>
        _statements.Add(new Statement(sql, parameters, read));

    public Task RunAsync() => connection.CanCreateBatch ? RunAsBatchAsync() : RunOneByOneAsync();

    private async Task RunAsBatchAsync()
    {
        await using var batch = connection.CreateBatch();
        foreach (var statement in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, type, value) in statement.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = type;
                parameter.Value = PreparedCommands.ToDbValue(value);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        // The reader steps through the result sets of the statements that return rows, in order; the others have none.
        await using var reader = await batch.ExecuteReaderAsync();
        var first = true;
        foreach (var statement in _statements)
        {
            if (statement.Read is null)
            {
                continue;
            }

            if (!first && !await reader.NextResultAsync())
            {
                throw new InvalidOperationException($"The database returned fewer result sets than the batch's statements that read rows (at: {statement.Sql[..Math.Min(60, statement.Sql.Length)]}).");
            }

            first = false;
            await statement.Read(reader);
        }

        // Drain the rest, so that an error of a later statement (or the commit) surfaces here.
        while (await reader.NextResultAsync())
        {
        }
    }

    private async Task RunOneByOneAsync()
    {
        foreach (var statement in _statements)
        {
            var command = prepared.Bind(statement.Sql, statement.Parameters);
            if (statement.Read is null)
            {
                await command.ExecuteNonQueryAsync();
                continue;
            }

            await using var reader = await command.ExecuteReaderAsync();
            await statement.Read(reader);
        }
    }

    private sealed record Statement(string Sql, (string Name, DbType Type, object? Value)[] Parameters, Func<DbDataReader, Task>? Read);
}
