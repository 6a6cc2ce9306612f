-- +goose Up
CREATE TABLE t (id int);
-- +goose StatementStart
