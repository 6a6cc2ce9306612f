-- The column's current type is unknown: assume the worst.
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2); -- want: change-column-type "ALTER COLUMN \"orders\".\"total\" TYPE numeric\\(14,2\\) takes an ACCESS EXCLUSIVE lock and rewrites the table and its indexes unless the change is binary-compatible; the column's current type is unknown"
ALTER TABLE billing.invoices
  ALTER COLUMN id TYPE bigint, -- want: change-column-type "\"billing\".\"invoices\".\"id\" TYPE bigint"
  ALTER number SET DATA TYPE text USING number::text; -- want: change-column-type "\"number\" TYPE text"

-- Other ALTER COLUMN commands keep the type.
ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;
ALTER TABLE orders ALTER COLUMN total SET STATISTICS 500;
