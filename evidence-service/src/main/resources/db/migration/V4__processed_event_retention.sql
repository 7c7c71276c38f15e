-- The scheduled purge of processed-event ids older than trialwatch.consumer.processed-event-retention finds them by age.
CREATE INDEX processed_event_processed_at_idx ON processed_event (processed_at);
