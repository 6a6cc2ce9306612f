-- +goose Up
CREATE TABLE b (id bigint PRIMARY KEY);

-- +goose Down
DROP TABLE b;
DROP TABLE c;
