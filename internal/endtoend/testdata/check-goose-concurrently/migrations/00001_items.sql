-- +goose Up
CREATE TABLE items (id bigint PRIMARY KEY, sku text);
-- +goose Down
DROP TABLE items;
