-- A table created earlier in the same migration is empty: its indexes are safe.
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX orders_user_idx ON orders (user_id);

-- Suppressed, with a reason.
-- schemagate:ignore create-index-non-concurrently the table holds ten rows
CREATE INDEX countries_code_idx ON countries (code);

-- Inside a DO block the statement is found on its own line.
DO $$
BEGIN
  CREATE INDEX users_login_idx ON users (login); -- want: create-index-non-concurrently
END
$$;
-- checktest: next
-- In the next migration the table exists, so an index on it blocks writes.
CREATE INDEX orders_total_idx ON orders (total); -- want: create-index-non-concurrently
-- checktest: next
-- A function created and called in the same migration runs its statements
-- now: they are checked at their own lines inside the body.
CREATE FUNCTION add_indexes() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  CREATE INDEX accounts_owner_idx ON accounts (owner_id); -- want: create-index-non-concurrently
  -- schemagate:ignore create-index-non-concurrently the table is tiny
  CREATE INDEX flags_name_idx ON flags (name);
  EXECUTE 'CREATE INDEX accounts_plan_idx ON accounts (plan)'; -- want: create-index-non-concurrently
END
$fn$;
SELECT add_indexes();

-- A function that is only created runs later, outside the migration.
CREATE FUNCTION later() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  CREATE INDEX accounts_later_idx ON accounts (created_at);
END
$fn$;
