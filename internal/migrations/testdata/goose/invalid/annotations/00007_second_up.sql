-- +goose Up
SELECT 1;
-- +goose Down
SELECT 2;
-- +goose Up
SELECT 3;
