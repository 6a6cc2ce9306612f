SET lock_timeout = '5s';
DROP TABLE schema_migrations; DROP TABLE posts;
