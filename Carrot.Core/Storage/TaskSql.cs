namespace Carrot.Storage;

/// <summary>
/// The statements on a task's hot path (claim, outcome, log lines), in one place; <see cref="Writes.TaskWrite"/>s are
/// made of them and <see cref="TaskWriteSession"/> runs them (the daemon's writer holds one open; <see cref="TaskStore"/>
/// opens one per call).
/// </summary>
internal static class TaskSql
{
    /// <summary>
    /// queued → running for this owner. Only on the task's own worker (a message on another worker's queue must not
    /// bypass that worker's pause and concurrency), never once a cancel was asked for, and never beside a runaway
    /// copy whose daemon is alive (@aliveSince: a daemon silent for a lease counts as dead, as everywhere), and never
    /// past the worker's concurrency counted over every daemon (the trigger-kept running count; on PostgreSQL the
    /// claims of one worker take turns on <see cref="ClaimLockName"/>, so two hosts cannot both take the last slot).
    /// The row is found by its key alone: the state and worker are tested as one <c>IS TRUE</c> expression, which no
    /// index can serve, because with statistics not yet updated after a burst of enqueues PostgreSQL's planner found
    /// (worker, status) as cheap as the key and scanned every queued task of the worker for each claim (20 ms a claim
    /// at 20,000 queued, and slower as the backlog grew).
    /// </summary>
    public const string Claim = """
        UPDATE tasks
        SET status = 'running', attempts = attempts + 1, started_at = @now, finished_at = NULL, node = @node,
            lease_owner = @owner, lease_expires_at = @leaseUntil, runaway_owner = NULL
        WHERE id = @id AND (status = 'queued' AND worker = @worker) IS TRUE AND attempts < max_attempts AND cancel_requested_at IS NULL
          AND (runaway_owner IS NULL OR NOT EXISTS (
                SELECT 1 FROM daemons d WHERE d.id = tasks.runaway_owner AND d.stopped_at IS NULL AND d.heartbeat_at >= @aliveSince))
          AND (SELECT coalesce(sum(c.count), 0) FROM task_counts c WHERE c.worker = @worker AND c.status = 'running')
              < (SELECT w.concurrency FROM workers w WHERE w.name = @worker)
        RETURNING id AS Id, kallable AS Kallable, args AS Args, kwargs AS Kwargs, worker AS Worker,
                  attempts AS Attempt, max_attempts AS MaxAttempts, lease_owner AS LeaseOwner, run_alone AS RunAlone,
                  max_retries AS MaxRetries, attempt_base AS AttemptBase, timeout_ms AS TimeoutMs,
                  traceparent AS TraceParent, coalesce(queued_at, run_at, created_at) AS QueuedAt
        """;

    /// <summary>The name the claims of one worker take turns on (PostgreSQL's advisory lock; SQLite needs none).</summary>
    public static string ClaimLockName(string worker) => "carrot.claim:" + worker;

    /// <summary>Whether a claim found nothing because every slot of the worker is taken (on this or another daemon).</summary>
    public const string WorkerFull = """
        SELECT (SELECT coalesce(sum(c.count), 0) FROM task_counts c WHERE c.worker = @worker AND c.status = 'running')
               >= coalesce((SELECT w.concurrency FROM workers w WHERE w.name = @worker), 0)
        """;

    /// <summary>
    /// The fence every write about a running attempt passes: this owner still holds this attempt. Returns whether a
    /// cancel was asked for (the outcome rules need it), or nothing when the lease was lost. The row is locked until
    /// the outcome commits (PostgreSQL), so a cancel request cannot slip in between. The writes after it are sent with
    /// it, decided on an assumption about the cancel flag (@CancelRequested) and applied only if it holds
    /// (<see cref="Writes.AttemptWrite{T}"/>).
    /// </summary>
    public static string Fence(SqlDialect sql) => $"""
        SELECT cancel_requested_at IS NOT NULL FROM tasks
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
        {sql.ForUpdate}
        """;

    /// <summary>The attempt's row in the history, written after the fence was checked in the same transaction.</summary>
    public const string RecordAttempt = $"""
        INSERT INTO task_attempts (task_id, attempt, node, started_at, finished_at, status, error_type, error_message, stack_trace)
        SELECT id, attempts, node, started_at, @now, @AttemptState, @ErrorType, @ErrorMessage, @StackTrace FROM tasks
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
          AND (cancel_requested_at IS NOT NULL) = @CancelRequested
        {ReplaceAttempt}
        """;

    /// <summary>An attempt written twice (a hand-back and its next run share a number) keeps the later ending.</summary>
    public const string ReplaceAttempt = """
        ON CONFLICT (task_id, attempt) DO UPDATE SET node = excluded.node, started_at = excluded.started_at,
            finished_at = excluded.finished_at, status = excluded.status, error_type = excluded.error_type,
            error_message = excluded.error_message, stack_trace = excluded.stack_trace
        """;

    /// <summary>Writes the state <see cref="Lifecycle.AttemptOutcomes"/> decided; the fence again, for safety.</summary>
    public const string Complete = """
        UPDATE tasks
        SET status = @State,
            finished_at = CASE WHEN @State = 'scheduled' THEN NULL ELSE @now END,
            run_at = CASE WHEN @State = 'scheduled' THEN @RunAt ELSE run_at END,
            max_attempts = coalesce(@MaxAttempts, max_attempts),
            result = @Result, error_type = @ErrorType, error_message = @ErrorMessage, stack_trace = @StackTrace,
            runaway_owner = @RunawayOwner, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt
          AND (cancel_requested_at IS NOT NULL) = @CancelRequested
        """;

    /// <summary>
    /// A hand-back: back to queued, the attempt not counted. @Republish: the message was acked at the claim (or is
    /// otherwise gone), so the relay must publish it again. Same fence as the outcome; never once a cancel was asked for
    /// (that task ends cancelled instead).
    /// </summary>
    public const string Release = """
        UPDATE tasks
        SET status = 'queued', attempts = attempts - 1, started_at = NULL, node = NULL, lease_owner = NULL, lease_expires_at = NULL,
            published_at = CASE WHEN @Republish THEN NULL ELSE published_at END
        WHERE id = @Id AND status = 'running' AND lease_owner = @LeaseOwner AND attempts = @Attempt AND cancel_requested_at IS NULL
        """;

    /// <summary>
    /// One log line, numbered after those its attempt already has (a handed-back run and the next one share an attempt
    /// number): no read before the insert, so a batch's lines go to the database with its other statements.
    /// </summary>
    public const string InsertLog = """
        INSERT INTO task_logs (task_id, attempt, seq, at, level, message, trace_id, span_id)
        VALUES (@TaskId, @Attempt, (SELECT coalesce(max(seq) + 1, 0) FROM task_logs WHERE task_id = @TaskId AND attempt = @Attempt), @At, @Level, @Message, @TraceId, @SpanId)
        """;

    /// <summary>
    /// The one order in which a transaction that locks several task rows takes them (PostgreSQL): by id. The writer's
    /// batch (each outcome's fence), the live log store and a rescue all lock running rows, so if one took them in
    /// another order, two of them could each hold a row the other waits for — a deadlock PostgreSQL breaks by failing
    /// one transaction.
    /// </summary>
    public static IEnumerable<T> InIdOrder<T>(IEnumerable<T> items, Func<T, long?> taskId) => items.OrderBy(taskId);

    /// <summary>The columns a stored log line is read with (<see cref="Rows.TaskLogRow"/>).</summary>
    public const string LogColumns =
        "task_id AS TaskId, attempt AS Attempt, seq AS Seq, at AS At, level AS Level, message AS Message, trace_id AS TraceId, span_id AS SpanId";

    /// <summary>
    /// A first attempt that succeeded is fully described by the task row; the history table records every other
    /// ending (failures, retries, cancels, lost daemons), so it costs nothing on the common path.
    /// </summary>
    public static bool KeepsAttemptRow(ClaimedTask claim, TaskOutcome outcome) =>
        outcome.State != Tasks.TaskState.Succeeded || claim.Attempt > 1;
}
