-- Task lifecycle: retries with backoff, timeouts, cancellation, delays, recurring schedules, pausing workers.

-- Recurring schedules. Exactly one of cron/every_ms is set. next_run_at is the next occurrence not yet fired;
-- the daemon that fires it moves it on in the same transaction, so two daemons never fire one occurrence twice.
CREATE TABLE schedules (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    kallable      TEXT    NOT NULL,
    args          TEXT    NOT NULL,
    kwargs        TEXT    NOT NULL,
    worker        TEXT    NOT NULL,
    priority      INTEGER NOT NULL DEFAULT 0,
    max_retries   INTEGER,
    timeout_ms    INTEGER,
    cron          TEXT,
    time_zone     TEXT,
    every_ms      INTEGER,
    paused        INTEGER NOT NULL DEFAULT 0,
    next_run_at   INTEGER NOT NULL,
    last_run_at   INTEGER,
    last_task_id  INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((cron IS NULL) <> (every_ms IS NULL))
);

CREATE INDEX ix_schedules_due ON schedules (next_run_at) WHERE paused = 0;

-- When a scheduled task (a delay, --at, or a retry waiting out its backoff) becomes due.
ALTER TABLE tasks ADD COLUMN run_at INTEGER;
-- Per-task timeout; NULL means the kallable's [CarrotTask] attribute or the configured default decides.
ALTER TABLE tasks ADD COLUMN timeout_ms INTEGER;
-- Per-task retry limit (--max-retries); NULL means the attribute or the configured default decides.
ALTER TABLE tasks ADD COLUMN max_retries INTEGER;
-- Attempts used before the last manual retry ('carrot tasks retry'): the retry budget counts from here.
ALTER TABLE tasks ADD COLUMN attempt_base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN schedule_id INTEGER REFERENCES schedules (id) ON DELETE SET NULL;
ALTER TABLE tasks ADD COLUMN cancel_requested_at INTEGER;

CREATE INDEX ix_tasks_due ON tasks (run_at) WHERE status = 'scheduled';
CREATE INDEX ix_tasks_finished ON tasks (status, finished_at) WHERE status IN ('succeeded', 'failed', 'cancelled');
CREATE INDEX ix_tasks_cancel ON tasks (lease_owner) WHERE status = 'running' AND cancel_requested_at IS NOT NULL;
CREATE INDEX ix_tasks_schedule ON tasks (schedule_id, id) WHERE schedule_id IS NOT NULL;

-- The relay keys on queued_at, not created_at: a task promoted from scheduled is young in the queue however old its row.
DROP INDEX ix_tasks_unpublished;
CREATE INDEX ix_tasks_unpublished ON tasks (queued_at) WHERE status = 'queued' AND published_at IS NULL;

-- Every attempt that ended, with its own error: the task row only keeps the latest.
CREATE TABLE task_attempts (
    task_id        INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    attempt        INTEGER NOT NULL,
    node           TEXT,
    started_at     INTEGER,
    finished_at    INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    error_type     TEXT,
    error_message  TEXT,
    stack_trace    TEXT,
    PRIMARY KEY (task_id, attempt)
);

ALTER TABLE workers ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

-- Task ids this daemon gave up waiting for (they ignored their cancellation token), comma-separated.
ALTER TABLE daemons ADD COLUMN runaways TEXT NOT NULL DEFAULT '';
