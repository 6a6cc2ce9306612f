-- +migrate Up
SELECT 1;
-- +migrate Down
SELECT 2;
-- +migrate Up
SELECT 3;
