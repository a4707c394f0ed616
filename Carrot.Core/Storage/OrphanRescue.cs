using System.Data.Common;
using Dapper;

namespace Carrot.Storage;

/// <summary>
/// The one way running tasks whose daemon is gone are taken back, whoever notices (an expired lease, a dead
/// pid): back to queued with the attempt counted, unpublished for the relay and marked to run alone (it may be what
/// killed its daemon), or failed when no attempt is left.
/// Runs inside the caller's write transaction, on the rows it locked first: an outcome racing it (a frozen daemon
/// thawed) then waits and finds its fence gone, instead of interleaving with these statements.
/// </summary>
internal static class OrphanRescue
{
    /// <param name="orphans">An SQL condition on running rows, e.g. <c>lease_expires_at &lt; @now</c>.</param>
    public static async Task<RescuedTasks> RescueAsync(DbConnection connection, SqlDialect sql, string orphans, long now, object parameters, CancellationToken cancellationToken)
    {
        var values = new DynamicParameters(parameters);
        values.Add("now", now);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM tasks WHERE status = 'running' AND ({orphans}) ORDER BY id {sql.ForUpdate}", values, cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0)
        {
            return default;
        }

        values.Add("ids", ids);
        orphans = "id " + sql.InList("@ids");
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO task_attempts (task_id, attempt, node, started_at, finished_at, status, error_type, error_message, stack_trace)
            SELECT id, attempts, node, started_at, @now, 'lost', 'Carrot.DaemonDied',
                   'The daemon running this attempt died or went silent (crash, kill, Environment.FailFast) before the task finished.', NULL
            FROM tasks WHERE status = 'running' AND ({orphans})
            {TaskSql.ReplaceAttempt}
            """,
            values, cancellationToken: cancellationToken));

        // Someone asked to cancel it: the daemon's death does not undo that.
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tasks
            SET status = 'cancelled', finished_at = @now, lease_owner = NULL, lease_expires_at = NULL, error_type = 'Carrot.Cancelled',
                error_message = 'Cancelled while running; the daemon running it died before it stopped.'
            WHERE status = 'running' AND ({orphans}) AND cancel_requested_at IS NOT NULL
            """,
            values, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tasks
            SET status = 'failed', finished_at = @now, lease_owner = NULL, lease_expires_at = NULL, error_type = 'Carrot.AttemptsExhausted',
                error_message = 'The daemon running attempt ' || attempts || ' of ' || max_attempts || ' died or went silent (crash, kill, Environment.FailFast) before the task finished, and no attempts are left.'
            WHERE status = 'running' AND ({orphans}) AND attempts >= max_attempts
            """,
            values, cancellationToken: cancellationToken));
        var requeued = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tasks
            SET status = 'queued', published_at = NULL, lease_owner = NULL, lease_expires_at = NULL, run_alone = 1
            WHERE status = 'running' AND ({orphans})
            """,
            values, cancellationToken: cancellationToken));
        return new RescuedTasks(requeued, ids.Count - requeued);
    }
}
