-- An index on a table that existed before this migration blocks writes.
CREATE INDEX users_email_idx ON users (email); -- want: create-index-non-concurrently "CREATE INDEX on existing table \"users\" blocks writes"
CREATE UNIQUE INDEX users_name_key -- want: create-index-non-concurrently "CREATE UNIQUE INDEX on existing table \"app\".\"users\""
    ON app.users (name);

-- The safe variant.
CREATE INDEX CONCURRENTLY users_created_idx ON users (created_at);
