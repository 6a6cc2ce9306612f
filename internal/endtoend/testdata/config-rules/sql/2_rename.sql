SET lock_timeout = '2s';
ALTER TABLE t RENAME COLUMN note TO remark;
-- PostgreSQL 10 rewrites the table for any non-null default.
ALTER TABLE t ADD COLUMN flag boolean DEFAULT false;
