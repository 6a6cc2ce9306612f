-- +goose Up
-- +goose ENVSUB ON
CREATE TABLE comments (id bigint PRIMARY KEY);
-- +goose ENVSUB OFF

-- +goose Down
