-- The limit in a CHECK constraint can be changed without blocking.
CREATE TABLE accounts (
  handle text CONSTRAINT accounts_handle_length CHECK (char_length(handle) <= 30)
);

-- Suppressed, with a reason.
-- schemagate:ignore prefer-text the payment provider rejects longer references
ALTER TABLE payments ADD COLUMN provider_ref varchar(35);
-- checktest: down
-- A down script restores the types the schema had: not reported.
ALTER TABLE users ALTER COLUMN email TYPE varchar(255);
