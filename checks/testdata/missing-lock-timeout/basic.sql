-- New tables, data changes and concurrent builds queue behind nobody's reads or writes.
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE INDEX accounts_id_idx ON accounts (id);
ALTER TABLE accounts ADD COLUMN plan text;
UPDATE users SET plan = 'free' WHERE plan IS NULL;
CREATE INDEX CONCURRENTLY users_plan_idx ON users (plan);
ALTER TABLE users VALIDATE CONSTRAINT users_plan_check;
ALTER TABLE users ALTER COLUMN plan SET STATISTICS 500;
ALTER INDEX users_plan_idx RENAME TO users_plan_key;
ALTER TYPE mood ADD VALUE 'meh';
-- The first strong lock on an existing table.
ALTER TABLE users ADD COLUMN nickname text; -- want: missing-lock-timeout "^no lock_timeout is set before ALTER TABLE requests an ACCESS EXCLUSIVE lock on \"users\": while it waits behind a long-running query, all later reads and writes of \"users\" wait behind it"
-- Reported once per script.
ALTER TABLE orders ADD COLUMN note text;
