-- A schema created earlier in the same migration holds nobody's data.
CREATE SCHEMA staging;
CREATE TABLE staging.rows (id bigint);
DROP SCHEMA staging CASCADE;
CREATE SCHEMA AUTHORIZATION etl;
DROP SCHEMA etl;

-- Dropped before it is created: it existed.
DROP SCHEMA IF EXISTS audit CASCADE; -- want: drop-schema "\"audit\""
CREATE SCHEMA audit;

-- Suppressed, with a reason.
-- schemagate:ignore drop-schema the schema only held a copy of public data
DROP SCHEMA backup_2023 CASCADE;
