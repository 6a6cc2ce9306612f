-- forgot the up annotation
-- +goose Down
DROP TABLE t;
