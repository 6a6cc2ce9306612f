SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text;
CREATE INDEX users_nickname_idx ON users (nickname);
DO $$
BEGIN
  ALTER TABLE orders ADD COLUMN note text;
END
$$;
-- Turning the timeout off brings the risk back.
SET lock_timeout = 0;
DROP TABLE old_sessions; -- want: missing-lock-timeout "DROP TABLE requests an ACCESS EXCLUSIVE lock on \"old_sessions\""
TRUNCATE audit_log;
