-- +migrate Up notransaction
CREATE INDEX CONCURRENTLY users_name ON users (name);

-- +migrate Down notransaction
DROP INDEX CONCURRENTLY users_name;
