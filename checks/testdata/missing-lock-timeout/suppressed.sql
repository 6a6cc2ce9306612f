-- schemagate:ignore missing-lock-timeout the migration role has lock_timeout set
ALTER TABLE users ADD COLUMN nickname text;
-- Only the first statement is reported, and it is suppressed.
ALTER TABLE orders ADD COLUMN note text;
