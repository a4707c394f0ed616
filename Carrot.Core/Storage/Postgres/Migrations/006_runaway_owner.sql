-- The daemon a runaway still runs in (see SQLite's 006).
ALTER TABLE tasks ADD COLUMN runaway_owner text;
