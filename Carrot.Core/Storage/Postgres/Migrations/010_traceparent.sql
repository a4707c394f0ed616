-- The W3C trace context (traceparent) of the code that enqueued the task: every attempt's process span is its child,
-- so a delayed, retried or rescued run stays in the producer's trace. NULL when the producer had no trace.
ALTER TABLE tasks ADD COLUMN traceparent text;
