-- +goose NO TRANSACTION
-- +goose Up
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY items_sku_idx ON items (sku);
-- +goose Down
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY items_sku_idx;
