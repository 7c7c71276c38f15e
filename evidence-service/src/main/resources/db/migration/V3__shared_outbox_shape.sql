-- The outbox takes the shape shared with the registry (org.trialwatch.support.outbox.OutboxRows, ADR 0002):
-- outbox_event, id = publishing order, event_id = ce_id, aggregate_id = key; rows that keep failing are counted
-- (attempts, last_error) and parked (parked_at) instead of blocking the rows behind them.
ALTER TABLE outbox RENAME TO outbox_event;
ALTER TABLE outbox_event DROP CONSTRAINT outbox_pkey;
ALTER TABLE outbox_event DROP CONSTRAINT outbox_seq_key;
ALTER TABLE outbox_event RENAME COLUMN id TO event_id;
ALTER TABLE outbox_event ADD CONSTRAINT outbox_event_event_id_key UNIQUE (event_id);
ALTER TABLE outbox_event RENAME COLUMN seq TO id;
ALTER TABLE outbox_event ADD CONSTRAINT outbox_event_pkey PRIMARY KEY (id);
ALTER SEQUENCE outbox_seq_seq RENAME TO outbox_event_id_seq;
ALTER TABLE outbox_event RENAME COLUMN group_key TO aggregate_id;
ALTER TABLE outbox_event ALTER COLUMN aggregate_id TYPE text;
-- json kept the text as written; text does the same and is what the relay sends
ALTER TABLE outbox_event ALTER COLUMN payload TYPE text;
ALTER TABLE outbox_event ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox_event ADD COLUMN last_error text;
ALTER TABLE outbox_event ADD COLUMN parked_at timestamptz;

DROP INDEX outbox_unsent_idx;
-- the relay's batch: unsent, not parked, in id order
CREATE INDEX outbox_event_ready_idx ON outbox_event (id) WHERE sent_at IS NULL AND parked_at IS NULL;
-- "is this key behind a parked row?", asked for each candidate row
CREATE INDEX outbox_event_parked_key_idx ON outbox_event (aggregate_id, id) WHERE sent_at IS NULL AND parked_at IS NOT NULL;
-- operators' count of the rows waiting behind a parked one
CREATE INDEX outbox_event_unsent_key_idx ON outbox_event (aggregate_id, id) WHERE sent_at IS NULL;
-- the retention purge
CREATE INDEX outbox_event_sent_at_idx ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;
