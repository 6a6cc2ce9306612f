DO $$
BEGIN
  CREATE TABLE ledger (id bigint);
  ALTER TABLE ledger ADD COLUMN amount numeric;
  ALTER TABLE users ADD COLUMN balance numeric; -- want: missing-lock-timeout "ALTER TABLE requests an ACCESS EXCLUSIVE lock on \"users\""
END
$$;
