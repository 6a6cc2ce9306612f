-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
-- +goose StatementEnd
