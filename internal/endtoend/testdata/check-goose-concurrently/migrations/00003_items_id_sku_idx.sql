-- +goose Up
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY items_id_sku_idx ON items (id, sku);
-- +goose Down
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY items_id_sku_idx;
