-- +goose Up
-- +goose StatementBegin
-- +goose StatementBegin
SELECT 1;
-- +goose StatementEnd
