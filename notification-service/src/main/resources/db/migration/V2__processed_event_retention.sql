-- The scheduled purge of processed-event ids older than trialwatch.consumer.processed-event-retention finds them by age.
create index processed_event_processed_at_idx on processed_event (processed_at);
