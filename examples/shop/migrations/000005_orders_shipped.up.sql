SET lock_timeout = '5s';

ALTER TABLE orders ADD COLUMN shipped_at timestamp;
CREATE INDEX CONCURRENTLY orders_shipped_at_idx ON orders (shipped_at);
