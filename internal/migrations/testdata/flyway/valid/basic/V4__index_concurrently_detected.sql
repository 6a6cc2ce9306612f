-- Flyway runs this outside a transaction by itself.
CREATE INDEX CONCURRENTLY users_phone ON users (phone);
