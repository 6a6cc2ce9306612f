CREATE TABLE webhooks (
  id bigint PRIMARY KEY,
  payload json NOT NULL, -- want: prefer-jsonb "column \"webhooks\".\"payload\" is json"
  headers pg_catalog.json, -- want: prefer-jsonb "\"webhooks\".\"headers\""
  history json[], -- want: prefer-jsonb "\"webhooks\".\"history\""
  meta jsonb
);
ALTER TABLE users ADD COLUMN settings json; -- want: prefer-jsonb "\"users\".\"settings\""
ALTER TABLE users ALTER COLUMN prefs TYPE json USING prefs::json; -- want: prefer-jsonb "\"users\".\"prefs\""
ALTER TABLE users ALTER COLUMN prefs TYPE jsonb USING prefs::jsonb;
