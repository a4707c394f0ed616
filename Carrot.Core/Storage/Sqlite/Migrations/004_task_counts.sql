-- carrot status counts tasks by worker and state. A GROUP BY over the whole tasks table grows with history
-- (about a second per 10 million rows), so the counts are kept here instead, by triggers, in the same
-- transaction as every insert, state change and delete: exact, and read in O(workers x states).
-- Cost: one upsert per insert and two small updates per state change (measured in docs/architecture.md).
CREATE TABLE task_counts (
    worker  TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (worker, status)
) WITHOUT ROWID;

INSERT INTO task_counts (worker, status, count)
SELECT worker, status, count(*) FROM tasks GROUP BY worker, status;

CREATE TRIGGER tr_task_counts_insert AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_counts (worker, status, count) VALUES (NEW.worker, NEW.status, 1)
    ON CONFLICT (worker, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER tr_task_counts_update AFTER UPDATE OF status, worker ON tasks
WHEN OLD.status IS NOT NEW.status OR OLD.worker IS NOT NEW.worker
BEGIN
    UPDATE task_counts SET count = count - 1 WHERE worker = OLD.worker AND status = OLD.status;
    INSERT INTO task_counts (worker, status, count) VALUES (NEW.worker, NEW.status, 1)
    ON CONFLICT (worker, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER tr_task_counts_delete AFTER DELETE ON tasks
BEGIN
    UPDATE task_counts SET count = count - 1 WHERE worker = OLD.worker AND status = OLD.status;
END;
