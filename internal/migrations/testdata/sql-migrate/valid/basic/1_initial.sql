-- +migrate Up
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL
);

-- +migrate Down
DROP TABLE users;
