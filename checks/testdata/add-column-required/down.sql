CREATE TABLE invoices (id bigint);
ALTER TABLE users DROP COLUMN plan;
-- checktest: down
-- The down script may change what its up script created.
ALTER TABLE invoices ADD COLUMN number text NOT NULL;
-- Putting back a dropped required column fails once the table has rows.
ALTER TABLE users ADD COLUMN plan text NOT NULL; -- want: add-column-required "column \"plan\""
