-- Even a database created in the same script is reported: migrations have
-- no business creating or dropping databases.
CREATE DATABASE scratch;
DROP DATABASE scratch; -- want: drop-database

-- Suppressed in a script that sets up throwaway test databases.
-- schemagate:ignore drop-database test fixture only
DROP DATABASE fixture_db;
-- checktest: down
DROP DATABASE analytics; -- want: drop-database
