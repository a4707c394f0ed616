-- The monitor's charts and per-worker last hour count the tasks that finished in each minute. Read from the tasks
-- table that is a scan of every task finished in the span (about 170,000 index entries a day at 7,000 an hour, plus a
-- row lookup each for the worker: 0.1-1.5 s cold at 1,000,000 rows), so the counts are kept here instead, by
-- triggers, in the transaction of every finish, retry and delete (as task_counts, 004): exact, and a day's chart
-- reads at most 1,440 minutes x workers x 2 rows. Rows older than two days are never read; the daemon's retention
-- pass deletes them (ThroughputStore.CompactAsync, which also folds ended hours).
CREATE TABLE task_throughput (
    minute  INTEGER NOT NULL,   -- finished_at / 60000
    worker  TEXT    NOT NULL,
    status  TEXT    NOT NULL,   -- succeeded or failed
    count   INTEGER NOT NULL,
    PRIMARY KEY (minute, worker, status)
) WITHOUT ROWID;

INSERT INTO task_throughput (minute, worker, status, count)
SELECT finished_at / 60000, worker, status, count(*) FROM tasks
WHERE status IN ('succeeded', 'failed') AND finished_at IS NOT NULL GROUP BY 1, 2, 3;

CREATE TRIGGER tr_task_throughput_insert AFTER INSERT ON tasks
WHEN NEW.status IN ('succeeded', 'failed') AND NEW.finished_at IS NOT NULL
BEGIN
    INSERT INTO task_throughput (minute, worker, status, count) VALUES (NEW.finished_at / 60000, NEW.worker, NEW.status, 1)
    ON CONFLICT (minute, worker, status) DO UPDATE SET count = count + 1;
END;

-- Fires only when a task enters, leaves or moves within the counted states (a finish, a retry), not on claims.
CREATE TRIGGER tr_task_throughput_update AFTER UPDATE OF status, finished_at, worker ON tasks
WHEN (OLD.status IN ('succeeded', 'failed') OR NEW.status IN ('succeeded', 'failed'))
     AND (OLD.status IS NOT NEW.status OR OLD.finished_at IS NOT NEW.finished_at OR OLD.worker IS NOT NEW.worker)
BEGIN
    UPDATE task_throughput SET count = count - 1
    WHERE minute = OLD.finished_at / 60000 AND worker = OLD.worker AND status = OLD.status;
    INSERT INTO task_throughput (minute, worker, status, count)
    SELECT NEW.finished_at / 60000, NEW.worker, NEW.status, 1
    WHERE NEW.status IN ('succeeded', 'failed') AND NEW.finished_at IS NOT NULL
    ON CONFLICT (minute, worker, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER tr_task_throughput_delete AFTER DELETE ON tasks
WHEN OLD.status IN ('succeeded', 'failed') AND OLD.finished_at IS NOT NULL
BEGIN
    UPDATE task_throughput SET count = count - 1
    WHERE minute = OLD.finished_at / 60000 AND worker = OLD.worker AND status = OLD.status;
END;
