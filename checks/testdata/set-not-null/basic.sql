-- SET NOT NULL on an existing column scans the table under ACCESS EXCLUSIVE.
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: set-not-null "SET NOT NULL on \"users\".\"email\" scans every row while holding ACCESS EXCLUSIVE on \"users\", blocking reads and writes"
ALTER TABLE app.users ALTER email SET NOT NULL; -- want: set-not-null "\"app\".\"users\".\"email\""

-- The online sequence, statement by statement.
ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_name_not_null;

-- A CHECK added already validated also spares the scan (add-check-validated
-- reports the ADD itself).
ALTER TABLE users ADD CONSTRAINT users_login_not_null CHECK (login IS NOT NULL);
ALTER TABLE users ALTER COLUMN login SET NOT NULL;

-- A CHECK that is still NOT VALID proves nothing.
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;
ALTER TABLE users ALTER COLUMN phone SET NOT NULL; -- want: set-not-null "\"phone\""

-- Each column needs a CHECK of its own.
ALTER TABLE users ALTER COLUMN city SET NOT NULL, ALTER COLUMN login SET NOT NULL; -- want: set-not-null "\"users\".\"city\""

-- DROP NOT NULL is harmless.
ALTER TABLE users ALTER COLUMN bio DROP NOT NULL;
