-- Idempotency keys (see SQLite's 005). Concurrent producers with one key take turns on an advisory lock on it.
ALTER TABLE tasks ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX ux_tasks_idempotency_key ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
