-- checktest: tx=wrapped
-- The tool runs the whole migration in one transaction.
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email); -- want: concurrently-in-transaction "runs in the transaction the migration tool wraps the migration in"
-- checktest: next
-- checktest: tx=none
-- The next migration runs without one.
CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (login);
