-- A table created earlier in the same migration is empty anyway.
CREATE TABLE import_rows (id bigint, raw text);
INSERT INTO import_rows SELECT id, email FROM users;
TRUNCATE import_rows;

-- Only the existing table of the two is reported.
TRUNCATE import_rows, users; -- want: truncate "\"users\""

-- Suppressed, with a reason.
-- schemagate:ignore truncate the cache is rebuilt on startup
TRUNCATE page_cache;
-- checktest: down
-- The down empties the table its own up created.
TRUNCATE import_rows;
TRUNCATE users; -- want: truncate
