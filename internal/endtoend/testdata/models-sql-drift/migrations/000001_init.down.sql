SET lock_timeout = '5s';
DROP TABLE posts, users;
DROP TYPE status;
