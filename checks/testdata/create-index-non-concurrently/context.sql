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
