-- +goose up
CREATE TABLE posts (id bigint PRIMARY KEY);
-- +goose down
DROP TABLE posts;