-- A task taken back from a daemon that died while running it may be what killed that daemon. It runs alone
-- next time, so that a poison task cannot take the tasks running beside it down with it again.
ALTER TABLE tasks ADD COLUMN run_alone INTEGER NOT NULL DEFAULT 0;
