-- Suppressed: a local wall-clock time.
-- schemagate:ignore prefer-timestamptz the alarm rings at this local time wherever the user is
ALTER TABLE alarms ADD COLUMN rings_at timestamp;

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN archived_at timestamp; -- want: prefer-timestamptz
END
$$;
-- checktest: down
-- A down script restores the types the schema had: not reported.
ALTER TABLE users ALTER COLUMN created_at TYPE timestamp;
