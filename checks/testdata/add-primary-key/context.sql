-- A table created earlier in the same migration is empty.
CREATE TABLE audit (id bigint, at timestamptz);
ALTER TABLE audit ADD PRIMARY KEY (id);

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE events ADD PRIMARY KEY (id); -- want: add-primary-key
END
$$;

-- Suppressed, with a reason.
-- schemagate:ignore add-primary-key the table holds a dozen rows
ALTER TABLE settings ADD PRIMARY KEY (name);
-- checktest: down
-- The down script of a migration that created the table: by the time it
-- runs, the table has rows and traffic, so the lock matters.
ALTER TABLE audit DROP CONSTRAINT audit_pkey;
ALTER TABLE audit ADD PRIMARY KEY (id, at); -- want: add-primary-key
-- checktest: next
-- The table created by the previous migration is now in use.
ALTER TABLE audit ADD CONSTRAINT audit_pkey PRIMARY KEY (id); -- want: add-primary-key
