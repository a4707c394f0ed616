-- Idempotency keys: a producer that retries an enqueue (after exit 75, a timeout or a crash) names its task with a
-- key, and a second enqueue with the same key gets the first task back. The unique index makes a key belong to one
-- task at a time; the window rule (an unfinished task, or one finished within idempotencyWindowSeconds, keeps its
-- key) is applied by TaskStore in the inserting transaction, which clears the key of an older task before reusing it.
ALTER TABLE tasks ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX ux_tasks_idempotency_key ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
