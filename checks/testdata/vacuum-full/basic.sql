VACUUM FULL events; -- want: vacuum-full "^VACUUM FULL rewrites \"events\" under ACCESS EXCLUSIVE lock"
VACUUM (FULL, ANALYZE) app.events; -- want: vacuum-full "\"app\".\"events\""
VACUUM (FULL true, VERBOSE) events;  -- want: vacuum-full
-- Each table is reported where it is named.
VACUUM FULL events, -- want: vacuum-full "\"events\""
    orders; -- want: vacuum-full "\"orders\""
-- Without a table, every table of the database.
VACUUM FULL; -- want: vacuum-full "every table"

-- Plain VACUUM and ANALYZE block neither reads nor writes.
VACUUM events;
VACUUM (ANALYZE) events;
VACUUM (FULL false) events;
VACUUM (FULL off) events;
ANALYZE events;

-- A table created earlier in the same migration is empty.
CREATE TABLE scratch (id bigint);
VACUUM FULL scratch;
VACUUM FULL scratch, orders; -- want: vacuum-full "\"orders\""

-- Suppressed, with a reason.
-- schemagate:ignore vacuum-full maintenance window, the application is down
VACUUM FULL audit_log;
-- checktest: next
VACUUM FULL scratch; -- want: vacuum-full "\"scratch\""
