BEGIN;
SET LOCAL lock_timeout = '3s';
ALTER TABLE users ADD COLUMN nickname text;
COMMIT;
-- SET LOCAL ends with its transaction.
CREATE INDEX users_nickname_idx -- want+1: missing-lock-timeout "^no lock_timeout is set before CREATE INDEX requests a SHARE lock on \"users\": .* all later writes of \"users\" wait"
    ON users (nickname);
