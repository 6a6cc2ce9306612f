-- +migrate Up
-- +migrate StatementBegin
SELECT 1;
