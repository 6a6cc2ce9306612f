DROP DATABASE analytics; -- want: drop-database "DROP DATABASE \"analytics\" deletes the whole database"
DROP DATABASE IF EXISTS "Old Reports" WITH (FORCE); -- want: drop-database "\"Old Reports\""

-- Other DROP statements are not this rule's.
DROP SCHEMA IF EXISTS analytics;
DROP ROLE IF EXISTS analytics_reader;
