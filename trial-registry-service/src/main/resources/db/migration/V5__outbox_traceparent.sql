-- The W3C traceparent of the change that wrote the event (null when tracing is off): the relay sends it as the
-- record's traceparent header, so the consumers' spans join the trace of the curator's request (docs/operations.md).
ALTER TABLE outbox_event ADD COLUMN traceparent text;
