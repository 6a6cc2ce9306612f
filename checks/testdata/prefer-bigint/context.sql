-- Suppressed: the range is bounded by nature.
-- schemagate:ignore prefer-bigint a percentage never exceeds 100
ALTER TABLE users ADD COLUMN progress smallint;

-- A type of another schema with the same name is not the built-in one.
CREATE TABLE ledger (amount money_types.int4);

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN visits integer; -- want: prefer-bigint
END
$$;
-- checktest: down
-- A down script restores the types the schema had: not reported.
ALTER TABLE users ADD COLUMN legacy_count integer;
