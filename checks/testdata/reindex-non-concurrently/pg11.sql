-- checktest: pg=11
-- Before PostgreSQL 12 there is no REINDEX CONCURRENTLY to suggest.
REINDEX INDEX users_email_idx; -- want: reindex-non-concurrently "REINDEX INDEX \"users_email_idx\" takes ACCESS EXCLUSIVE .*; REINDEX CONCURRENTLY is unavailable before PostgreSQL 12 \\(assuming 11\\)"
REINDEX TABLE users; -- want: reindex-non-concurrently "unavailable before PostgreSQL 12"
