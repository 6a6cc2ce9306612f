ALTER TABLE users RENAME COLUMN mail TO email; -- want: rename-column "RENAME COLUMN \"users\".\"mail\" TO \"email\" breaks deployed code that still uses the old name"
ALTER TABLE IF EXISTS app.users RENAME fullname TO full_name; -- want: rename-column "\"app\".\"users\".\"fullname\""
ALTER VIEW active_users RENAME COLUMN mail TO email; -- want: rename-column "\"active_users\".\"mail\""
ALTER TABLE users
  RENAME COLUMN users TO members; -- want: rename-column "\"users\".\"users\""

-- Other renames are not this rule's.
ALTER TABLE users RENAME CONSTRAINT users_check TO users_age_check;
ALTER TABLE users RENAME TO members;
