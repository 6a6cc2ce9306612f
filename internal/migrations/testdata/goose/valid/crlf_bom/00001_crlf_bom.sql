-- +goose Up
CREATE TABLE t (
    id int
);

-- +goose Down
DROP TABLE t;
