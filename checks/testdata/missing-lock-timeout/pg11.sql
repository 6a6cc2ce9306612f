-- checktest: pg=11
-- Renaming an index took an ACCESS EXCLUSIVE lock before PostgreSQL 12.
ALTER INDEX users_email_idx RENAME TO users_email_key; -- want: missing-lock-timeout "ACCESS EXCLUSIVE lock on \"users_email_idx\""
