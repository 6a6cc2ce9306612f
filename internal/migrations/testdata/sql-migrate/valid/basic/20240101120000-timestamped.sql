-- +migrate Up
CREATE TABLE posts (id bigint PRIMARY KEY);
-- +migrate Down
DROP TABLE posts;
