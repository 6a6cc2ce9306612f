-- A plain DROP INDEX queues for ACCESS EXCLUSIVE on the index's table.
DROP INDEX users_email_idx; -- want: drop-index-non-concurrently "DROP INDEX \"users_email_idx\" without CONCURRENTLY takes ACCESS EXCLUSIVE on its table, blocking reads and writes"
DROP INDEX IF EXISTS app.orders_total_idx, orders_user_idx CASCADE; -- want: drop-index-non-concurrently "DROP INDEX \"app\".\"orders_total_idx\", \"orders_user_idx\" without CONCURRENTLY takes ACCESS EXCLUSIVE on their tables"

-- The safe variant.
DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;

-- Other DROP statements are not this rule's business.
DROP TABLE old_users;
