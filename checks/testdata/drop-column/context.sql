-- A column added earlier in the same migration holds nobody's data.
ALTER TABLE users ADD COLUMN import_batch bigint;
ALTER TABLE users DROP COLUMN import_batch;

-- Nor does any column of a table created in it.
CREATE TABLE imports (id bigint, raw text);
ALTER TABLE imports DROP COLUMN raw;

-- Dropped before it is added: the column existed.
ALTER TABLE users DROP COLUMN IF EXISTS score; -- want: drop-column "\"users\".\"score\""
ALTER TABLE users ADD COLUMN score bigint;

-- Suppressed, with a reason.
-- schemagate:ignore drop-column unused since release 42
ALTER TABLE users DROP COLUMN nickname;

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE users DROP COLUMN legacy_flag; -- want: drop-column
END
$$;
