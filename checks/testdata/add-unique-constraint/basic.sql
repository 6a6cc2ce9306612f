-- ADD CONSTRAINT ... UNIQUE builds its index under ACCESS EXCLUSIVE.
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email); -- want: add-unique-constraint "ADD CONSTRAINT \"users_email_key\" UNIQUE \\(\"email\"\\) on \"users\" builds a unique index while holding ACCESS EXCLUSIVE on \"users\", blocking reads and writes"
ALTER TABLE app.users ADD UNIQUE (login, tenant_id); -- want: add-unique-constraint "^ADD UNIQUE \\(\"login\", \"tenant_id\"\\) on \"app\".\"users\""
ALTER TABLE users ADD COLUMN code text UNIQUE; -- want: add-unique-constraint "ADD COLUMN \"code\" ... UNIQUE on \"users\""

-- The safe sequence: the index built concurrently, then attached.
CREATE UNIQUE INDEX CONCURRENTLY users_phone_key ON users (phone);
ALTER TABLE users ADD CONSTRAINT users_phone_key UNIQUE USING INDEX users_phone_key;

-- Other constraints are not this rule's business.
ALTER TABLE users ADD PRIMARY KEY (id);
