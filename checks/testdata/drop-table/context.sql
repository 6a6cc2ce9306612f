-- A table created earlier in the same migration holds nobody's data.
CREATE TABLE import_scratch (id bigint, payload text);
DROP TABLE import_scratch;
CREATE TABLE audit.scratch AS SELECT 1 AS one;
DROP TABLE audit.scratch;

-- Dropped before it is created: the drop still hits an existing table.
DROP TABLE reports; -- want: drop-table
CREATE TABLE reports (id bigint);

-- The same name in another schema is another table.
CREATE TABLE staging.customers (id bigint);
DROP TABLE customers; -- want: drop-table "\"customers\""

-- Suppressed, with a reason.
-- schemagate:ignore drop-table emptied and unused since release 42
DROP TABLE legacy_users;

-- Inside a DO block.
DO $$
BEGIN
  DROP TABLE legacy_audit; -- want: drop-table
END
$$;
