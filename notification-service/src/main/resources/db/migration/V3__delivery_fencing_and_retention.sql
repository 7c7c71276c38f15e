-- Fencing: every claim writes a fresh token; an attempt's outcome is recorded only while the row still carries the
-- token it was claimed with, so an attempt that outlived its lease cannot overwrite what a later claim recorded.
-- While claimed, next_attempt_at is the end of the (short, renewed) lease.
alter table notification add column claim_token uuid;
-- attempts in flight per subscription (the per-endpoint cap counts these): only claimed rows are indexed
create index notification_claimed_idx on notification (subscription_id) where claim_token is not null;

-- Retention: delivered notifications (and, much later, dead-lettered ones) are purged by age, oldest first.
create index notification_delivered_idx on notification (delivered_at) where status = 'DELIVERED';

-- The live stream remembers how far its history was pruned, so a client resuming from before that point is told to
-- reset instead of silently missing what was pruned.
create table stream_watermark (
    id             int primary key check (id = 1),
    pruned_through bigint not null
);
insert into stream_watermark (id, pruned_through) values (1, 0);
