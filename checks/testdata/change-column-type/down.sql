CREATE TABLE products (sku varchar(20), price numeric(8,2));
-- checktest: next
ALTER TABLE products ALTER COLUMN sku TYPE varchar(40);
-- checktest: down
-- Reverting narrows the column again: that rewrites the table.
ALTER TABLE products ALTER COLUMN sku TYPE varchar(20); -- want: change-column-type "from varchar\\(40\\)"
-- The up did not touch price: the type before the migration is current.
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);
-- checktest: next
ALTER TABLE products ADD COLUMN weight integer;
-- checktest: down
-- The down changes the column its own up added.
ALTER TABLE products ALTER COLUMN weight TYPE bigint;
