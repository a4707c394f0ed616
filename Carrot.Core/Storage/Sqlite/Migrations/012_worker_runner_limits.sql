-- A process worker's own recycle limits: its runner is replaced after runner_max_tasks tasks, or once its resident
-- memory passes runner_max_memory_mib after a task. NULL means the daemon-wide runnerMaxTasks / runnerMaxMemoryMiB;
-- 0 means no limit of that kind.
ALTER TABLE workers ADD COLUMN runner_max_tasks INTEGER CHECK (runner_max_tasks >= 0);
ALTER TABLE workers ADD COLUMN runner_max_memory_mib INTEGER CHECK (runner_max_memory_mib BETWEEN 0 AND 1048576);
