-- A table created, or a column added, earlier in the same migration.
CREATE TABLE sessions (id bigint, token text);
ALTER TABLE sessions ALTER COLUMN token SET NOT NULL;
ALTER TABLE users ADD COLUMN nickname text DEFAULT '';
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;

-- Suppressed, with a reason.
-- schemagate:ignore set-not-null the table has a hundred rows
ALTER TABLE countries ALTER COLUMN code SET NOT NULL;

ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;
-- checktest: next
-- The CHECK added NOT VALID by the previous migration is validated here, so
-- SET NOT NULL needs no scan.
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
-- The table created by the previous migration is now in use.
ALTER TABLE sessions ALTER COLUMN id SET NOT NULL; -- want: set-not-null "\"sessions\".\"id\""
-- checktest: next
-- Validated by an earlier migration.
ALTER TABLE users VALIDATE CONSTRAINT users_phone_not_null;
-- checktest: next
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
ALTER TABLE users ALTER COLUMN city SET NOT NULL; -- want: set-not-null
