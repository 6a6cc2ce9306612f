-- A table created earlier in the same migration is used by no deployed code.
CREATE TABLE accounts_new (id bigint);
ALTER TABLE accounts_new RENAME TO accounts;
CREATE VIEW big_accounts AS SELECT * FROM accounts;
ALTER VIEW big_accounts RENAME TO large_accounts;

-- Suppressed: a view keeps the old name working.
BEGIN;
-- schemagate:ignore rename-table a view keeps the old name until release 43
ALTER TABLE customers RENAME TO clients;
CREATE VIEW customers AS SELECT * FROM clients;
COMMIT;
-- checktest: next
-- In the next migration deployed code uses the table.
ALTER TABLE accounts RENAME TO members; -- want: rename-table "\"accounts\""
