-- A DO block is one transaction even when none surrounds it.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN score int; -- want: lock-held-across-statements "on \"users\" .* while line 5 UPDATE \"users\" runs"
  UPDATE users SET score = 0;
END
$$;
-- A lock taken before a DO block is held while its statements run.
BEGIN;
TRUNCATE sessions; -- want: lock-held-across-statements "ACCESS EXCLUSIVE lock that TRUNCATE takes on \"sessions\" .* line 13 DELETE \"tokens\""
DO $$
BEGIN
  DELETE FROM tokens WHERE expired;
END
$$;
COMMIT;
