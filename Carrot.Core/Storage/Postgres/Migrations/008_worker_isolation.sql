-- Where a worker's task code runs (see SQLite's 008).
ALTER TABLE workers ADD COLUMN isolation text NOT NULL DEFAULT 'inprocess' CHECK (isolation IN ('inprocess', 'process'));
