-- Plain REINDEX blocks writes, and reads that plan with the indexes.
REINDEX INDEX users_email_idx; -- want: reindex-non-concurrently "REINDEX INDEX \"users_email_idx\" without CONCURRENTLY takes ACCESS EXCLUSIVE on the index and SHARE on its table"
REINDEX TABLE app.users; -- want: reindex-non-concurrently "REINDEX TABLE \"app\".\"users\" without CONCURRENTLY takes SHARE on \"app\".\"users\""
REINDEX (VERBOSE) SCHEMA app; -- want: reindex-non-concurrently "REINDEX SCHEMA \"app\" without CONCURRENTLY"
REINDEX DATABASE shop; -- want: reindex-non-concurrently "REINDEX DATABASE \"shop\""
REINDEX (CONCURRENTLY false) TABLE users; -- want: reindex-non-concurrently
REINDEX SYSTEM; -- want: reindex-non-concurrently "system catalogs"

-- The safe variants.
REINDEX INDEX CONCURRENTLY users_email_idx;
REINDEX (CONCURRENTLY, VERBOSE) TABLE users;
REINDEX SCHEMA CONCURRENTLY app;
