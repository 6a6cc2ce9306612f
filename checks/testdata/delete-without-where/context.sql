-- A table created earlier in the same migration holds nobody's data.
CREATE TABLE import_rows (id bigint);
INSERT INTO import_rows VALUES (1);
DELETE FROM import_rows;

-- Suppressed, with a reason.
-- schemagate:ignore delete-without-where the table is a cache rebuilt on startup
DELETE FROM page_cache;

-- Inside a DO block.
DO $$
BEGIN
  DELETE FROM notifications; -- want: delete-without-where
END
$$;
-- checktest: down
DELETE FROM import_rows;
DELETE FROM users; -- want: delete-without-where "\"users\""
