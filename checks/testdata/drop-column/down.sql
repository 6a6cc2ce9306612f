ALTER TABLE users ADD COLUMN email_verified boolean;
CREATE TABLE sessions (id bigint, token text);
-- checktest: down
-- Reverting the up: dropping the columns it added is fine.
ALTER TABLE users DROP COLUMN email_verified;
ALTER TABLE sessions DROP COLUMN token;
-- A column the up did not add holds real data.
ALTER TABLE users DROP COLUMN created_at; -- want: drop-column "\"users\".\"created_at\""
-- checktest: next
-- In a later migration the column holds data.
ALTER TABLE users DROP COLUMN email_verified; -- want: drop-column
