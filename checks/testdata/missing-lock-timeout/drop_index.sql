-- DROP INDEX names the index but locks its table: the message names the
-- table when an earlier CREATE INDEX said which it is.
SET lock_timeout = '5s';
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX audit_at_idx ON audit.log (at);
-- checktest: down
DROP INDEX users_email_idx; -- want: missing-lock-timeout "ACCESS EXCLUSIVE lock on \"users\", the table of index \"users_email_idx\": .* all later reads and writes of \"users\" wait"
-- checktest: next
DROP INDEX audit.audit_at_idx; -- want: missing-lock-timeout "lock on \"audit\".\"log\", the table of index \"audit\".\"audit_at_idx\": .* writes of \"audit\".\"log\" wait"
-- checktest: next
DROP INDEX unknown_idx; -- want: missing-lock-timeout "lock on the table of index \"unknown_idx\": .* reads and writes of the index's table wait"
