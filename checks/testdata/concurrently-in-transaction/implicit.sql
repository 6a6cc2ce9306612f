-- checktest: tx=implicit
-- golang-migrate sends a file as one query: with two statements, that is one
-- implicit transaction.
CREATE INDEX CONCURRENTLY users_a_idx ON users (a); -- want: concurrently-in-transaction "implicit transaction of a multi-statement query"
CREATE INDEX CONCURRENTLY users_b_idx ON users (b); -- want: concurrently-in-transaction
-- checktest: next
-- Alone in its file, the statement runs outside a transaction.
CREATE INDEX CONCURRENTLY users_c_idx ON users (c);
