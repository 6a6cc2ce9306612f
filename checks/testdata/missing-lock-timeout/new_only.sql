-- Only objects created by this migration: nothing to wait for.
CREATE TABLE accounts (id bigint PRIMARY KEY, parent_id bigint REFERENCES accounts (id));
ALTER TABLE accounts ADD COLUMN plan text NOT NULL;
CREATE INDEX accounts_plan_idx ON accounts (plan);
CREATE TRIGGER accounts_audit AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION audit();
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
DROP INDEX accounts_plan_idx;
DROP TABLE accounts;
-- checktest: down
-- The down script drops what its up script created: by then the table is in
-- use, and the DROP waits for its lock like any other.
DROP TABLE accounts; -- want: missing-lock-timeout
