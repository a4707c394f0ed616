-- The trace and span a captured log line was written in (W3C hex ids of the span current at the time: the attempt's
-- process span or one task code made under it), so a line can be found in the trace. NULL when carrotd was not tracing.
ALTER TABLE task_logs ADD COLUMN trace_id text;
ALTER TABLE task_logs ADD COLUMN span_id text;
