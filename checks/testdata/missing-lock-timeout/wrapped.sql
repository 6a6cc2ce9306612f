-- checktest: tx=wrapped
-- In the migration tool's transaction SET LOCAL lasts to the end of the script.
SET LOCAL lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE orders ADD COLUMN note text;
-- checktest: down
ALTER TABLE users DROP COLUMN nickname; -- want: missing-lock-timeout "\"users\""
