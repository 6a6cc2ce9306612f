TRUNCATE sessions; -- want: truncate "TRUNCATE \"sessions\" deletes every row of the table and blocks its reads and writes"
TRUNCATE TABLE ONLY audit.log, events RESTART IDENTITY; -- want: truncate "\"audit\".\"log\"" truncate "\"events\""
TRUNCATE customers CASCADE; -- want: truncate "TRUNCATE \"customers\" CASCADE deletes every row of the table and of the tables that reference it"

-- Each table on its own line.
TRUNCATE
  cache_a, -- want: truncate "\"cache_a\""
  cache_b; -- want: truncate "\"cache_b\""

-- Deleting only some rows is not a TRUNCATE.
DELETE FROM sessions WHERE expires_at < now();
