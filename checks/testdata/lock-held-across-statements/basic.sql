BEGIN;
ALTER TABLE users ADD COLUMN plan text; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER TABLE takes on \"users\" is held until the transaction commits, while line 4 UPDATE \"users\" runs$"
ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';
UPDATE users SET plan = 'free';
COMMIT;

-- Waiting for a lock on another existing table.
BEGIN;
CREATE INDEX users_plan_idx ON users (plan); -- want: lock-held-across-statements "^the SHARE lock that CREATE INDEX takes on \"users\" is held until the transaction commits, while line 10 ALTER TABLE \"orders\" runs$"
ALTER TABLE orders ADD COLUMN note text;
COMMIT;

-- Reading the locked table into a new one.
BEGIN;
ALTER TABLE app.users RENAME COLUMN plan TO tier; -- want: lock-held-across-statements "on \"app\".\"users\" .* line 16 CREATE TABLE AS reading \"app\".\"users\""
CREATE TABLE tiers AS SELECT DISTINCT tier FROM app.users;
COMMIT;

-- Each locked table is reported once per transaction, on the statement that locks it first.
BEGIN;
ALTER TABLE users ADD COLUMN a int; -- want: lock-held-across-statements "line 23 UPDATE \"users\""
ALTER TABLE users ADD COLUMN b int;
UPDATE users SET a = 1;
ALTER TABLE users ADD COLUMN c int;
UPDATE users SET c = 1;
COMMIT;

-- Cheap catalog changes to the same table, new objects, statements on no table: no finding.
BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ALTER COLUMN nickname SET DEFAULT '';
COMMENT ON COLUMN users.nickname IS 'shown in the header';
GRANT SELECT ON users TO reporting;
CREATE TABLE nicknames (user_id bigint REFERENCES users (id), nickname text);
CREATE INDEX nicknames_user_idx ON nicknames (user_id);
INSERT INTO nicknames VALUES (1, 'x');
WITH n AS (SELECT 1 AS id) INSERT INTO nicknames SELECT id, 'y' FROM n;
SET LOCAL statement_timeout = '1min';
SELECT pg_notify('deploy', 'done');
COMMIT;

-- Inserting literal rows is quick; copying rows from an existing table is not.
BEGIN;
ALTER TABLE users ADD COLUMN referrer_id bigint; -- want: lock-held-across-statements "while line 47 INSERT reading \"users\" runs"
INSERT INTO schema_migrations (version) VALUES ('20240101');
INSERT INTO users (id, name) VALUES (1, 'root');
INSERT INTO referrals (user_id) SELECT id FROM users WHERE referrer_id IS NOT NULL;
COMMIT;

-- A strong lock on a new table holds nobody up.
BEGIN;
CREATE TABLE accounts (id bigint);
ALTER TABLE accounts ADD COLUMN plan text;
UPDATE users SET plan = 'free' WHERE plan IS NULL;
COMMIT;

-- Outside a transaction each statement commits at once.
ALTER TABLE users ADD COLUMN bio text;
UPDATE users SET bio = '' WHERE bio IS NULL;

-- Suppressed, with a reason.
BEGIN;
-- schemagate:ignore lock-held-across-statements 250 rows
ALTER TABLE countries ADD COLUMN iso3 text;
UPDATE countries SET iso3 = upper(code);
COMMIT;
