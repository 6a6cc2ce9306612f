-- +goose Up
CREATE TABLE products (id serial PRIMARY KEY);

-- +goose Down
DROP TABLE products;
