-- migrate:up
CREATE INDEX users_email ON users (email);
-- migrate:down transaction:false unknown:option
DROP INDEX CONCURRENTLY users_email;