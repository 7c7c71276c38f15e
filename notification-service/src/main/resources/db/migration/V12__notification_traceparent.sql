-- The W3C traceparent of the event's consumer span (null when tracing is off): each webhook attempt, the first or a
-- retry hours later, is a client span in the event's trace and sends that trace on to the endpoint.
alter table notification add column traceparent text;
