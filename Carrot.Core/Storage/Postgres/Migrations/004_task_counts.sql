-- Counts by worker and state, kept by triggers in the transaction of every change (see SQLite's 004). Every host's
-- writer changes them, so one row per (worker, state) would be a hot row that serialises all their transactions:
-- each connection writes its own slot instead (its backend pid modulo 16), and a count is the sum over the slots.
-- A slot's own count may go negative (a task counted in one slot and moved on in another); the sum is exact.
CREATE TABLE task_counts (
    worker  text   NOT NULL,
    status  text   NOT NULL,
    slot    bigint NOT NULL,
    count   bigint NOT NULL,
    PRIMARY KEY (worker, status, slot)
);

INSERT INTO task_counts (worker, status, slot, count)
SELECT worker, status, 0, count(*) FROM tasks GROUP BY worker, status;

CREATE FUNCTION carrot_count_task() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s bigint := pg_backend_pid() % 16;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO task_counts (worker, status, slot, count) VALUES (OLD.worker, OLD.status, s, -1)
        ON CONFLICT (worker, status, slot) DO UPDATE SET count = task_counts.count - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO task_counts (worker, status, slot, count) VALUES (NEW.worker, NEW.status, s, 1)
        ON CONFLICT (worker, status, slot) DO UPDATE SET count = task_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_task_counts_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION carrot_count_task();

CREATE TRIGGER tr_task_counts_update AFTER UPDATE OF status, worker ON tasks FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.worker IS DISTINCT FROM NEW.worker)
EXECUTE FUNCTION carrot_count_task();

CREATE TRIGGER tr_task_counts_delete AFTER DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION carrot_count_task();
