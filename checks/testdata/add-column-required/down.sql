CREATE TABLE invoices (id bigint);
ALTER TABLE users DROP COLUMN plan;
-- checktest: down
-- A table the up script created has rows by the time the down runs.
ALTER TABLE invoices ADD COLUMN number text NOT NULL; -- want: add-column-required
-- Putting back a dropped required column fails once the table has rows.
ALTER TABLE users ADD COLUMN plan text NOT NULL; -- want: add-column-required "column \"plan\""
