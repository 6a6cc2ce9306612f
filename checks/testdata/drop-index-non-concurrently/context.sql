-- An index created earlier in the same migration is not in use yet.
CREATE INDEX CONCURRENTLY users_login_idx ON users (login);
DROP INDEX users_login_idx;

-- Of two indexes, only the one that existed before is named.
CREATE INDEX users_tmp_idx ON users (tmp);
DROP INDEX users_tmp_idx, users_old_idx; -- want: drop-index-non-concurrently "^DROP INDEX \"users_old_idx\" without"

-- Dropping an index before the statement that creates it is no excuse.
DROP INDEX orders_total_idx; -- want: drop-index-non-concurrently
CREATE INDEX orders_total_idx ON orders (total);

-- Suppressed, with a reason.
-- schemagate:ignore drop-index-non-concurrently the table is empty in production
DROP INDEX countries_code_idx;

-- Inside a DO block.
DO $$
BEGIN
  DROP INDEX users_legacy_idx; -- want: drop-index-non-concurrently
END
$$;
-- checktest: down
-- The down script drops the index its up script created, on a table that
-- existed before: the ACCESS EXCLUSIVE lock on "users" is as real as ever.
DROP INDEX users_login_idx; -- want: drop-index-non-concurrently
-- checktest: next
-- In the next migration the index exists and serves queries.
DROP INDEX users_login_idx; -- want: drop-index-non-concurrently
