-- Constant and stable defaults are stored in the catalog: no rewrite (PostgreSQL 11+).
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE users ADD COLUMN updated_at timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE users ADD COLUMN day date DEFAULT CURRENT_DATE;
ALTER TABLE users ADD COLUMN stamp timestamp DEFAULT localtimestamp;
ALTER TABLE users ADD COLUMN st timestamptz DEFAULT statement_timestamp();
ALTER TABLE users ADD COLUMN tt timestamptz DEFAULT pg_catalog.transaction_timestamp();
ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';
ALTER TABLE users ADD COLUMN flags jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE users ADD COLUMN retries int DEFAULT -1;
ALTER TABLE users ADD COLUMN expires_at timestamptz DEFAULT now() + interval '30 days';
ALTER TABLE users ADD COLUMN label text DEFAULT 'a' || 'b';
ALTER TABLE users ADD COLUMN tags text[] DEFAULT ARRAY[]::text[];
ALTER TABLE users ADD COLUMN owner text DEFAULT current_user;
ALTER TABLE users ADD COLUMN region text DEFAULT coalesce(current_setting('app.region', true), 'eu');
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ADD COLUMN note text DEFAULT NULL;
ALTER TABLE users ADD COLUMN note2 text DEFAULT NULL::text;

-- SET DEFAULT applies to future rows only.
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();

-- A table created earlier in the same migration is empty.
CREATE TABLE events (id bigint);
ALTER TABLE events ADD COLUMN seq bigserial, ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- A function the migration declares STABLE or IMMUTABLE is not volatile.
CREATE FUNCTION default_region() RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'eu' $$;
ALTER TABLE users ADD COLUMN home text DEFAULT default_region();

-- Suppressed, with a reason.
-- schemagate:ignore add-column-rewrite the table holds a few rows
ALTER TABLE countries ADD COLUMN uid uuid DEFAULT gen_random_uuid();
-- checktest: down
-- A table the up script created has rows by the time the down runs.
ALTER TABLE events ADD COLUMN seq2 bigserial; -- want: add-column-rewrite
-- Re-adding a dropped column to an existing table rewrites it.
ALTER TABLE users ADD COLUMN legacy_id serial; -- want: add-column-rewrite "serial column \"legacy_id\""
-- checktest: next
-- In the next migration the table exists.
ALTER TABLE events ADD COLUMN token2 uuid DEFAULT gen_random_uuid(); -- want: add-column-rewrite "existing table \"events\""
