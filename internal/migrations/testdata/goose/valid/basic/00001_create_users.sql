-- +goose Up
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL
);

-- +goose Down
DROP TABLE users;
