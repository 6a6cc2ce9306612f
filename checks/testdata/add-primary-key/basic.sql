-- ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE.
ALTER TABLE events ADD PRIMARY KEY (id); -- want: add-primary-key "^ADD PRIMARY KEY \\(\"id\"\\) on \"events\" checks the columns for NULLs and builds a unique index while holding ACCESS EXCLUSIVE on \"events\", blocking reads and writes"
ALTER TABLE app.events ADD CONSTRAINT events_pkey PRIMARY KEY (tenant_id, id); -- want: add-primary-key "ADD CONSTRAINT \"events_pkey\" PRIMARY KEY \\(\"tenant_id\", \"id\"\\) on \"app\".\"events\""
ALTER TABLE logs ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY; -- want: add-primary-key "ADD COLUMN \"id\" ... PRIMARY KEY on \"logs\""

-- The safe sequence: the index built concurrently, then attached.
CREATE UNIQUE INDEX CONCURRENTLY visits_pkey ON visits (id);
ALTER TABLE visits ADD CONSTRAINT visits_pkey PRIMARY KEY USING INDEX visits_pkey;

-- Other constraints are not this rule's business.
ALTER TABLE visits ADD CONSTRAINT visits_token_key UNIQUE (token);
