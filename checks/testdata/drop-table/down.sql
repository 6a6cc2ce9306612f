CREATE TABLE invoices (id bigint PRIMARY KEY);
CREATE TABLE billing.credits (id bigint PRIMARY KEY);
-- checktest: down
-- The down drops what its own up created: it only reverts the migration.
DROP TABLE billing.credits;
DROP TABLE IF EXISTS invoices;
-- A table the up did not create holds real data.
DROP TABLE customers; -- want: drop-table "\"customers\""
-- checktest: next
-- A later migration dropping the table drops real data.
DROP TABLE invoices; -- want: drop-table
