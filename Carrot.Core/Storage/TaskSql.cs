namespace Carrot.Storage;

/// <summary>
/// The statements on a task's hot path (claim, outcome, log lines), in one place. <see cref="TaskWriteSession"/>
/// keeps them prepared (the daemon's writer holds one open; <see cref="TaskStore"/> opens one per call).
/// </summary>
internal static class TaskSql
{
    public const string Claim = """
        UPDATE tasks
        SET status = 'running', attempts = attempts + 1, started_at = @now, finished_at = NULL, node = @node,
            lease_owner = @owner, lease_expires_at = @leaseUntil
        WHERE id = @id AND status = 'queued' AND attempts < max_attempts
        RETURNING id AS Id, kallable AS Kallable, args AS Args, kwargs AS Kwargs, worker AS Worker,
                  attempts AS Attempt, max_attempts AS MaxAttempts, lease_owner AS LeaseOwner, run_alone AS RunAlone,
                  max_retries AS MaxRetries, attempt_base AS AttemptBase, timeout_ms AS TimeoutMs
        """;

    /// <summary>The attempt's row in the history, written before the fenced update below (same fence).</summary>
    public const string RecordAttempt = """
        INSERT OR REPLACE INTO task_attempts (task_id, attempt, node, started_at, finished_at, status, error_type, error_message, stack_trace)
        SELECT id, attempts, node, started_at, @now, @AttemptState, @ErrorType, @ErrorMessage, @StackTrace FROM tasks
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
        """;

    public const string Complete = """
        UPDATE tasks
        SET status = CASE WHEN @State <> 'succeeded' AND cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE @State END,
            finished_at = CASE WHEN @State = 'scheduled' AND cancel_requested_at IS NULL THEN NULL ELSE @now END,
            run_at = CASE WHEN @State = 'scheduled' THEN @RunAt ELSE run_at END,
            max_attempts = coalesce(@MaxAttempts, max_attempts),
            result = @Result, error_type = @ErrorType, error_message = @ErrorMessage, stack_trace = @StackTrace,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
        """;

    /// <summary>A hand-back on shutdown: back to queued, the attempt not counted. Same fence as the outcome.</summary>
    public const string Release = """
        UPDATE tasks
        SET status = 'queued', attempts = attempts - 1, started_at = NULL, node = NULL, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
        """;

    /// <summary>A handed-back run and the next one share an attempt number: log lines continue after those already there.</summary>
    public const string NextLogSeq = "SELECT coalesce(max(seq) + 1, 0) FROM task_logs WHERE task_id = @Id AND attempt = @Attempt";

    public const string InsertLog = "INSERT INTO task_logs (task_id, attempt, seq, at, level, message) VALUES (@TaskId, @Attempt, @Seq, @At, @Level, @Message)";

    /// <summary>
    /// A first attempt that succeeded is fully described by the task row; the history table records every other
    /// ending (failures, retries, cancels, lost daemons), so it costs nothing on the common path.
    /// </summary>
    public static bool KeepsAttemptRow(ClaimedTask claim, TaskOutcome outcome) =>
        outcome.State != Tasks.TaskState.Succeeded || claim.Attempt > 1;
}
