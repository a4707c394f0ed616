using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// Stores the lines of running attempts as they come (the daemon's live log writer), all waiting batches in one
/// transaction. Each task's row is locked first (PostgreSQL), as the outcome's fence locks it, so the two never number
/// lines at once; both continue after the lines already stored, with the same insert (<see cref="TaskSql.InsertLog"/>).
/// </summary>
internal sealed class LiveLogStore(CarrotDatabase database)
{
    /// <summary>Writes the batches; a task no longer in the table (purged) is skipped. Returns how many lines were stored.</summary>
    public Task<int> AppendAsync(IReadOnlyList<LiveLogBatch> batches, CancellationToken cancellationToken) =>
        database.WriteAsync(async c =>
        {
            var stored = 0;
            foreach (var batch in TaskSql.InIdOrder(batches, b => b.TaskId))
            {
                var exists = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                    $"SELECT id FROM tasks WHERE id = @Id {database.Sql.ForUpdate}", new { Id = batch.TaskId }, cancellationToken: cancellationToken));
                if (exists is null)
                {
                    continue;
                }

                var rows = batch.Lines.Select(line => new
                {
                    batch.TaskId,
                    Attempt = (long)batch.Attempt,
                    At = UnixTime.ToMs(line.At),
                    Level = line.Level.ToString(),
                    line.Message,
                    line.Trace.TraceId,
                    line.Trace.SpanId,
                });
                stored += await c.ExecuteAsync(new CommandDefinition(TaskSql.InsertLog, rows, cancellationToken: cancellationToken));
            }

            return stored;
        }, cancellationToken);
}
