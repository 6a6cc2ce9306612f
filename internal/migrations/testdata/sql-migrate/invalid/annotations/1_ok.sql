-- +migrate Up
SELECT 1;
