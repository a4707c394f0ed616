-- A task taken back from a daemon that died while running it runs alone next time (see SQLite's 002).
ALTER TABLE tasks ADD COLUMN run_alone bigint NOT NULL DEFAULT 0;
