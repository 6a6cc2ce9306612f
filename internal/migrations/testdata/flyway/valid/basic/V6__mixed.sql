SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN sixth text;
CREATE INDEX CONCURRENTLY users_sixth ON users (sixth);
