-- The W3C traceparent of the consumer span that wrote the event (null when tracing is off): the relay sends it as the
-- record's traceparent header, so evidence-events carry on the trace of the trial event that caused them.
ALTER TABLE outbox_event ADD COLUMN traceparent text;
