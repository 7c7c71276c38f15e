-- A subscription delivers only once its target has shown it wants the deliveries: an e-mail address by following the
-- signed link mailed to it, a webhook endpoint by answering a signed verification event with 2xx. Until then
-- verified_at is null and matching skips the subscription; verification_error says why it is still pending.
-- Subscriptions created before this check existed keep delivering: they count as verified when they were created.
alter table subscription add column verified_at timestamptz;
alter table subscription add column verification_error text;
update subscription set verified_at = created_at;
