-- +goose Up
CREATE TABLE d (id bigint PRIMARY KEY);
-- +goose Down
DROP TABLE d;
