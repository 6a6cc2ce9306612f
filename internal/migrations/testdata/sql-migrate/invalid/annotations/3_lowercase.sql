-- +migrate up
SELECT 1;
