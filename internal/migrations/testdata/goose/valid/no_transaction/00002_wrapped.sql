-- +goose Up
CREATE TABLE wrapped (id int);
