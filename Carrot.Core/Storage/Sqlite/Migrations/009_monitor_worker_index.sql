-- The monitor's task list filtered by worker, newest first (keyset by id): read in id order from this index,
-- instead of every task of the worker through ix_tasks_worker_status and a sort (0.2-0.6 s at 200,000 tasks).
CREATE INDEX ix_tasks_worker_id ON tasks (worker, id);
