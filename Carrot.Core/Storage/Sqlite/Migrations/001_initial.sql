CREATE TABLE workers (
    name         TEXT    NOT NULL PRIMARY KEY,
    concurrency  INTEGER NOT NULL CHECK (concurrency >= 1),
    description  TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

INSERT INTO workers (name, concurrency, description, created_at, updated_at)
VALUES ('default', 4, 'Runs every task that names no worker', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER));

-- Times are Unix milliseconds (UTC). The row is the task's outbox: published_at stays NULL until the broker confirmed it.
CREATE TABLE tasks (
    id                INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kallable          TEXT    NOT NULL,
    args              TEXT    NOT NULL,
    kwargs            TEXT    NOT NULL,
    worker            TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('scheduled', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority          INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    max_attempts      INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    queued_at         INTEGER,
    published_at      INTEGER,
    started_at        INTEGER,
    finished_at       INTEGER,
    node              TEXT,
    lease_owner       TEXT,
    lease_expires_at  INTEGER,
    result            TEXT,
    error_type        TEXT,
    error_message     TEXT,
    stack_trace       TEXT
);

CREATE INDEX ix_tasks_status ON tasks (status, id);
CREATE INDEX ix_tasks_worker_status ON tasks (worker, status);
CREATE INDEX ix_tasks_kallable ON tasks (kallable, id);
CREATE INDEX ix_tasks_unpublished ON tasks (created_at) WHERE status = 'queued' AND published_at IS NULL;
CREATE INDEX ix_tasks_leases ON tasks (lease_expires_at) WHERE status = 'running';

CREATE TABLE task_logs (
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    attempt  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    level    TEXT    NOT NULL,
    message  TEXT    NOT NULL,
    PRIMARY KEY (task_id, attempt, seq)
);

CREATE TABLE daemons (
    id            TEXT    NOT NULL PRIMARY KEY,
    host          TEXT    NOT NULL,
    pid           INTEGER NOT NULL,
    version       TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    stopped_at    INTEGER
);

CREATE INDEX ix_daemons_heartbeat ON daemons (heartbeat_at);
