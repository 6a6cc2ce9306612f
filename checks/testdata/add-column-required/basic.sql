-- NOT NULL without a default fails on a table that has rows.
ALTER TABLE users ADD COLUMN plan text NOT NULL; -- want: add-column-required "^NOT NULL column \"plan\" has no default: adding it to existing table \"users\" fails if the table has any row, after waiting for an ACCESS EXCLUSIVE lock"
ALTER TABLE app.users ADD COLUMN plan text NOT NULL; -- want: add-column-required "existing table \"app\".\"users\""
-- A PRIMARY KEY implies NOT NULL.
ALTER TABLE legacy ADD COLUMN id bigint PRIMARY KEY; -- want: add-column-required "^PRIMARY KEY column \"id\""
-- DEFAULT NULL is no default.
ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT NULL; -- want: add-column-required "column \"tier\""
-- Each column of a statement is reported where it is declared.
ALTER TABLE users
    ADD COLUMN a text,
    ADD COLUMN b text NOT NULL; -- want: add-column-required "column \"b\""

-- Safe: a default, a nullable column, columns that fill themselves.
ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ADD COLUMN seq bigserial NOT NULL;
ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;
ALTER TABLE users ADD COLUMN total bigint NOT NULL GENERATED ALWAYS AS (1) STORED;
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;

-- A table created earlier in the same migration is empty.
CREATE TABLE accounts (id bigint);
ALTER TABLE accounts ADD COLUMN owner_id bigint NOT NULL;

-- Suppressed, with a reason.
ALTER TABLE staging ADD COLUMN batch int NOT NULL; -- schemagate:ignore add-column-required truncated before every load

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE orders ADD COLUMN currency text NOT NULL; -- want: add-column-required "column \"currency\""
END
$$;
-- checktest: next
-- In the next migration the table exists and may have rows.
ALTER TABLE accounts ADD COLUMN region text NOT NULL; -- want: add-column-required "existing table \"accounts\""
