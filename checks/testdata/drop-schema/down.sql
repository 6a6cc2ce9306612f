CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint);
-- checktest: down
-- The down drops the schema its own up created.
DROP SCHEMA billing CASCADE;
DROP SCHEMA reporting CASCADE; -- want: drop-schema "\"reporting\""
-- checktest: next
-- In a later migration the schema holds data.
DROP SCHEMA billing CASCADE; -- want: drop-schema "\"billing\""
