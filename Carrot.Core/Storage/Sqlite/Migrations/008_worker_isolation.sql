-- Where a worker's task code runs: inside carrotd ('inprocess') or in carrot-runner processes that carrotd keeps
-- for the worker ('process'), so a crash, a runaway or a leak of one task ends only its runner.
ALTER TABLE workers ADD COLUMN isolation TEXT NOT NULL DEFAULT 'inprocess' CHECK (isolation IN ('inprocess', 'process'));
