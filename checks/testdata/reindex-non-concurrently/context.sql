-- A table and an index created earlier in the same migration are unused.
CREATE TABLE tokens (id bigint, value text);
CREATE INDEX tokens_value_idx ON tokens (value);
REINDEX TABLE tokens;
REINDEX INDEX tokens_value_idx;

-- Suppressed, with a reason.
-- schemagate:ignore reindex-non-concurrently runs in the maintenance window
REINDEX TABLE users;
-- checktest: next
-- In the next migration the table is in use.
REINDEX TABLE tokens; -- want: reindex-non-concurrently
