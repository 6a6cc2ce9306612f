-- Suppressed: the exact text matters.
-- schemagate:ignore prefer-jsonb signatures are computed over the raw document
ALTER TABLE webhooks ADD COLUMN raw_body json;
-- checktest: down
-- A down script restores the types the schema had: not reported.
ALTER TABLE users ALTER COLUMN prefs TYPE json USING prefs::json;
