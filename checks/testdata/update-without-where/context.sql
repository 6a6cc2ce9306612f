-- A table created earlier in the same migration is empty and unused.
CREATE TABLE plans (id bigint, name text);
UPDATE plans SET name = lower(name);

-- A new column on an existing table: the UPDATE still rewrites every row.
ALTER TABLE users ADD COLUMN plan text;
UPDATE users SET plan = 'free'; -- want: update-without-where

-- Suppressed, with a reason.
-- schemagate:ignore update-without-where the table holds twelve rows
UPDATE countries SET active = true;
-- checktest: down
UPDATE plans SET name = upper(name);
UPDATE users SET plan = NULL; -- want: update-without-where
