-- Webhook signing secrets are stored sealed (AES-256-GCM, see SecretBox) with the id of the key that sealed them.
-- Rows from before have no key id: they are read as plain text until POST /api/operations/webhook-secrets/re-seal
-- seals them under the current key.
alter table webhook_secret add column key_id text;
