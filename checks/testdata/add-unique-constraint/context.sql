-- A table created earlier in the same migration is empty.
CREATE TABLE coupons (id bigint, code text UNIQUE);
ALTER TABLE coupons ADD CONSTRAINT coupons_id_key UNIQUE (id);
ALTER TABLE coupons ADD COLUMN slug text UNIQUE;

-- A column added in this migration to an existing table still needs an index
-- over the whole table.
ALTER TABLE users ADD COLUMN handle text;
ALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE (handle); -- want: add-unique-constraint

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE users ADD CONSTRAINT users_login_key UNIQUE (login); -- want: add-unique-constraint
END
$$;

-- Suppressed, with a reason.
-- schemagate:ignore add-unique-constraint the table holds two hundred rows
ALTER TABLE countries ADD CONSTRAINT countries_code_key UNIQUE (code);
-- checktest: next
-- The table created by the previous migration is now in use.
ALTER TABLE coupons ADD CONSTRAINT coupons_name_key UNIQUE (name); -- want: add-unique-constraint
