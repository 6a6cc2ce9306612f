-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  search_vector tsvector,
  search_updated_at timestamptz
);
CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE SCHEMA scratch;
CREATE TABLE scratch.notes (body text);

-- migrate:down
SET lock_timeout = '5s';
DROP SCHEMA scratch CASCADE;
DROP TABLE audit_log;
DROP TABLE users;
