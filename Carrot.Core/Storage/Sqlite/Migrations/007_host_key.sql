-- Which kernel and PID namespace a daemon runs in (its boot id and /proc/self/ns/pid): the same-host rescue at start
-- checks a dead daemon's pid with kill(pid, 0), which means something only inside the same PID namespace. Host names
-- do not tell that apart (containers on one machine may share a name and PIDs); rows written before this are ''.
ALTER TABLE daemons ADD COLUMN host_key TEXT NOT NULL DEFAULT '';
