-- The dispatcher's claim looks up the oldest due notifications of one subscription when subscriptions at their
-- in-flight cap take up the front of the due index (NotificationStore.claimDue), instead of walking past their rows.
create index notification_pending_subscription_idx on notification (subscription_id, next_attempt_at)
    where status = 'PENDING';
