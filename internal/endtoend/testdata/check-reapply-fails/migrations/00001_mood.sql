-- +goose Up
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE people (id bigint PRIMARY KEY, mood mood);

-- +goose Down
DROP TABLE people;
