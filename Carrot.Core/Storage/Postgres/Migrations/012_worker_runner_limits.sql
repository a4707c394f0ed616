-- A process worker's own recycle limits (see SQLite's 012). NULL: the daemon-wide default; 0: no limit of that kind.
ALTER TABLE workers ADD COLUMN runner_max_tasks integer CHECK (runner_max_tasks >= 0);
ALTER TABLE workers ADD COLUMN runner_max_memory_mib integer CHECK (runner_max_memory_mib BETWEEN 0 AND 1048576);
