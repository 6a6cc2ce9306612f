-- The lock of DROP INDEX that keeps the application waiting is its table's:
-- the message names the table when an earlier CREATE INDEX said which it is.
CREATE INDEX CONCURRENTLY ix_users_email ON users (email);
-- checktest: next
BEGIN;
DROP INDEX ix_users_email; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that DROP INDEX takes on \"users\", the table of index \"ix_users_email\", is held until the transaction commits"
UPDATE users SET email = lower(email) WHERE id < 100;
COMMIT;
BEGIN;
DROP INDEX ix_orders_total; -- want: lock-held-across-statements "^the ACCESS EXCLUSIVE lock that DROP INDEX takes on the table of index \"ix_orders_total\", is held until the transaction commits, while line 11 UPDATE \"orders\" runs$"
UPDATE orders SET total = 0 WHERE id < 100;
COMMIT;
