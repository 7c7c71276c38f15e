-- The outbox takes the shape shared with the evidence service (org.trialwatch.support.outbox.OutboxRows, ADR 0002):
-- rows that keep failing are parked (parked_at) instead of blocking the rows behind them; the sequence column was
-- the registry's alone (order comes from id; per trial it is sequence order because a trial's writers are serialised).
ALTER TABLE outbox_event DROP COLUMN sequence;
ALTER TABLE outbox_event ALTER COLUMN aggregate_id TYPE text;
ALTER TABLE outbox_event ADD COLUMN parked_at timestamptz;

DROP INDEX outbox_event_unsent_idx;
-- the relay's batch: unsent, not parked, in id order
CREATE INDEX outbox_event_ready_idx ON outbox_event (id) WHERE sent_at IS NULL AND parked_at IS NULL;
-- "is this key behind a parked row?", asked for each candidate row
CREATE INDEX outbox_event_parked_key_idx ON outbox_event (aggregate_id, id) WHERE sent_at IS NULL AND parked_at IS NOT NULL;
-- operators' count of the rows waiting behind a parked one
CREATE INDEX outbox_event_unsent_key_idx ON outbox_event (aggregate_id, id) WHERE sent_at IS NULL;
-- the retention purge
CREATE INDEX outbox_event_sent_at_idx ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;
