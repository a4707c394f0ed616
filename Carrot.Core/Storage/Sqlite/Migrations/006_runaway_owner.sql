-- A runaway (recorded failed or cancelled while its code may still run inside its daemon) names that daemon, so
-- that no copy of the task is claimed beside it (e.g. after 'carrot tasks retry') while the daemon lives.
-- Cleared when the code finally returns; a stopped or silent daemon's marks no longer count.
ALTER TABLE tasks ADD COLUMN runaway_owner TEXT;
