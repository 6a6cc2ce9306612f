-- Adds the email column.

-- +goose Up
ALTER TABLE users ADD COLUMN email text;
