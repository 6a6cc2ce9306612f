-- schemagate:ignore-file prefer-text
SET lock_timeout = '5s';
-- schemagate:ignore drop-column replaced by profile.bio in 0.9, unused since
ALTER TABLE users DROP COLUMN bio;
ALTER TABLE users ADD COLUMN motto varchar(50); -- schemagate:ignore add-column-rewrite
TRUNCATE sessions; -- schemagate:ignore truncate sessions are recreated on login
-- schemagate:ignore drop-tabel typo: the finding below still counts
DROP TABLE audit_log;
