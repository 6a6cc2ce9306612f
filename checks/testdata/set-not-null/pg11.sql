-- checktest: pg=11
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- checktest: next
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
-- checktest: next
-- Before PostgreSQL 12 even a validated CHECK does not spare the scan.
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: set-not-null "SET NOT NULL on \"users\".\"email\" scans every row while holding ACCESS EXCLUSIVE on \"users\"; a validated CHECK \\(email IS NOT NULL\\) avoids the scan only from PostgreSQL 12 \\(assuming 11\\)"
-- New columns stay fine.
ALTER TABLE users ADD COLUMN nickname text DEFAULT '';
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
