-- LOCK ... NOWAIT never queues, and later statements find the lock held.
BEGIN;
LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT;
ALTER TABLE users ADD COLUMN nickname text;
CREATE INDEX users_nickname_idx ON users (nickname);
-- orders was not locked first.
ALTER TABLE orders ADD COLUMN note text; -- want: missing-lock-timeout "\"orders\""
COMMIT;
