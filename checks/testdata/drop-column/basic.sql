ALTER TABLE users DROP COLUMN legacy_email; -- want: drop-column "DROP COLUMN \"users\".\"legacy_email\" deletes the column's data; deployed code that still reads it fails"

-- Each column is reported on its own line.
ALTER TABLE app.users
  DROP COLUMN IF EXISTS phone, -- want: drop-column "\"app\".\"users\".\"phone\""
  ADD COLUMN phone_e164 text,
  DROP fax CASCADE; -- want: drop-column "\"app\".\"users\".\"fax\""

-- A column named like its table.
ALTER TABLE email
  DROP COLUMN email; -- want: drop-column "\"email\".\"email\""

-- Other ALTER TABLE commands drop no column.
ALTER TABLE users ALTER COLUMN legacy_email DROP NOT NULL;
ALTER TABLE users ALTER COLUMN legacy_email DROP DEFAULT;
ALTER TABLE users DROP CONSTRAINT users_legacy_check;
