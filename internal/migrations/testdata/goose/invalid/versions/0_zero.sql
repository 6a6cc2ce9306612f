-- +goose Up
SELECT 0;
