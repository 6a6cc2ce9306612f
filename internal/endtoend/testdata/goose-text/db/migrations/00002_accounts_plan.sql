-- +goose Up
-- +goose StatementBegin
SET lock_timeout = '5s';
ALTER TABLE accounts ADD COLUMN plan text NOT NULL;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE accounts DROP COLUMN plan;
DROP TABLE accounts;
