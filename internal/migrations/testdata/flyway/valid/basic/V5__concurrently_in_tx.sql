CREATE INDEX CONCURRENTLY users_tenth ON users (tenth);
