-- Statement by statement, outside a transaction, CONCURRENTLY works.
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
DROP INDEX CONCURRENTLY users_old_idx;
ALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;

-- After BEGIN PostgreSQL refuses every one of them.
BEGIN;
CREATE INDEX CONCURRENTLY users_name_idx ON users (name); -- want: concurrently-in-transaction "CREATE INDEX CONCURRENTLY \"users_name_idx\" on \"users\" runs after BEGIN: PostgreSQL refuses it"
CREATE UNIQUE INDEX CONCURRENTLY ON users (login); -- want: concurrently-in-transaction "CREATE UNIQUE INDEX CONCURRENTLY on \"users\""
DROP INDEX CONCURRENTLY users_login_idx; -- want: concurrently-in-transaction "DROP INDEX CONCURRENTLY \"users_login_idx\""
REINDEX INDEX CONCURRENTLY users_email_idx; -- want: concurrently-in-transaction "REINDEX CONCURRENTLY \"users_email_idx\""
ALTER TABLE measurements DETACH PARTITION -- want+1: concurrently-in-transaction "DETACH PARTITION \"measurements_2020\" CONCURRENTLY from \"measurements\""
    measurements_2020 CONCURRENTLY;
-- The same statements without CONCURRENTLY are not this rule's business.
CREATE INDEX users_city_idx ON users (city);
COMMIT;

-- After COMMIT the script is outside a transaction again.
REINDEX TABLE CONCURRENTLY users;

-- A DO block always runs in a transaction.
DO $$
BEGIN
  CREATE INDEX CONCURRENTLY users_x_idx ON users (x); -- want: concurrently-in-transaction "inside a DO block"
END
$$;

-- Suppressed, with a reason.
BEGIN;
-- schemagate:ignore concurrently-in-transaction the deploy script strips BEGIN and COMMIT
CREATE INDEX CONCURRENTLY users_y_idx ON users (y);
COMMIT;
