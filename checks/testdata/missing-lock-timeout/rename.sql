-- A table rename is ALTER TABLE, not the OBJECT_ACCESS_METHOD that RenameStmt.RelationType holds when unset.
BEGIN;
ALTER TABLE a RENAME TO b; -- want: missing-lock-timeout "^no lock_timeout is set before ALTER TABLE [.][.][.] RENAME requests an ACCESS EXCLUSIVE lock on \"a\":"
ALTER TABLE b ADD COLUMN x text;
COMMIT;
