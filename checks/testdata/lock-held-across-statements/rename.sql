-- Every RENAME names the kind of object its ALTER names (RelationType is set by RENAME COLUMN only).
BEGIN;
ALTER TABLE a RENAME TO b; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER TABLE [.][.][.] RENAME takes on \"a\" is held until the transaction commits, while line 4 ALTER TABLE \"b\" runs$"
ALTER TABLE b ADD COLUMN x text;
COMMIT;

BEGIN;
ALTER TABLE orders RENAME CONSTRAINT orders_fk TO orders_user_fk; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER TABLE [.][.][.] RENAME takes on \"orders\""
UPDATE orders SET note = '';
COMMIT;

BEGIN;
ALTER VIEW active_users RENAME TO live_users; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER VIEW [.][.][.] RENAME takes on \"active_users\""
UPDATE users SET note = '';
COMMIT;

BEGIN;
ALTER VIEW live_users RENAME COLUMN id TO user_id; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER VIEW [.][.][.] RENAME takes on \"live_users\""
UPDATE users SET note = '';
COMMIT;

BEGIN;
ALTER TRIGGER audit ON users RENAME TO users_audit; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that ALTER TRIGGER [.][.][.] RENAME takes on \"users\""
UPDATE accounts SET note = '';
COMMIT;
