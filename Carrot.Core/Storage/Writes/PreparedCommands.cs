using System.Data;
using System.Data.Common;

namespace Carrot.Storage.Writes;

/// <summary>
/// One command per statement text on one connection, created once and re-bound for each use: SQLite keeps each
/// command's statement prepared, so a claim or an outcome costs a bind and a step, not a parse. Parameters are
/// typed, so that PostgreSQL never has to guess the type of a null. Not thread-safe: one session owns it.
/// </summary>
internal sealed class PreparedCommands(DbConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Bind(string sql, (string Name, DbType Type, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type, _) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = type;
                command.Parameters.Add(parameter);
            }

            _commands.Add(sql, command);
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = ToDbValue(parameters[i].Value);
        }

        return command;
    }

    /// <summary>Null as DBNull; an int widened, since Npgsql writes a bigint parameter from a long only.</summary>
    public static object ToDbValue(object? value) => value switch { null => DBNull.Value, int n => (long)n, var v => v };

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
    }
}
