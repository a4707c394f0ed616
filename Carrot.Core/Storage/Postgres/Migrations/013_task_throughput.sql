-- Tasks finished per minute, worker and outcome, kept by triggers for the monitor's charts and per-worker last hour
-- (see SQLite's 013 for why). As with task_counts (004), every host's writer finishes tasks in the same minute, so
-- each connection writes its own slot (its backend pid modulo 16) and a count is the sum over the slots.
CREATE TABLE task_throughput (
    minute  bigint NOT NULL,   -- finished_at / 60000
    worker  text   NOT NULL,
    status  text   NOT NULL,   -- succeeded or failed
    slot    bigint NOT NULL,
    count   bigint NOT NULL,
    PRIMARY KEY (minute, worker, status, slot)
);

INSERT INTO task_throughput (minute, worker, status, slot, count)
SELECT finished_at / 60000, worker, status, 0, count(*) FROM tasks
WHERE status IN ('succeeded', 'failed') AND finished_at IS NOT NULL GROUP BY 1, 2, 3;

CREATE FUNCTION carrot_count_throughput() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s bigint := pg_backend_pid() % 16;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('succeeded', 'failed') AND OLD.finished_at IS NOT NULL THEN
        INSERT INTO task_throughput (minute, worker, status, slot, count) VALUES (OLD.finished_at / 60000, OLD.worker, OLD.status, s, -1)
        ON CONFLICT (minute, worker, status, slot) DO UPDATE SET count = task_throughput.count - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('succeeded', 'failed') AND NEW.finished_at IS NOT NULL THEN
        INSERT INTO task_throughput (minute, worker, status, slot, count) VALUES (NEW.finished_at / 60000, NEW.worker, NEW.status, s, 1)
        ON CONFLICT (minute, worker, status, slot) DO UPDATE SET count = task_throughput.count + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_task_throughput_insert AFTER INSERT ON tasks FOR EACH ROW
WHEN (NEW.status IN ('succeeded', 'failed') AND NEW.finished_at IS NOT NULL)
EXECUTE FUNCTION carrot_count_throughput();

-- Fires only when a task enters, leaves or moves within the counted states (a finish, a retry), not on claims.
CREATE TRIGGER tr_task_throughput_update AFTER UPDATE OF status, finished_at, worker ON tasks FOR EACH ROW
WHEN ((OLD.status IN ('succeeded', 'failed') OR NEW.status IN ('succeeded', 'failed'))
      AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.finished_at IS DISTINCT FROM NEW.finished_at OR OLD.worker IS DISTINCT FROM NEW.worker))
EXECUTE FUNCTION carrot_count_throughput();

CREATE TRIGGER tr_task_throughput_delete AFTER DELETE ON tasks FOR EACH ROW
WHEN (OLD.status IN ('succeeded', 'failed') AND OLD.finished_at IS NOT NULL)
EXECUTE FUNCTION carrot_count_throughput();
