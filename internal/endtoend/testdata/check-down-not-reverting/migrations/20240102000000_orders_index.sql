-- migrate:up
CREATE INDEX orders_total_idx ON orders (total);
ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1;

-- migrate:down
ALTER TABLE orders ALTER COLUMN total DROP DEFAULT;
