-- migrate:down
SELECT 2;
-- migrate:up
SELECT 1;
