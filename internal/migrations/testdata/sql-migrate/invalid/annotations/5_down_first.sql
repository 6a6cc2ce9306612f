-- +migrate Down
SELECT 2;
-- +migrate Up
SELECT 1;
