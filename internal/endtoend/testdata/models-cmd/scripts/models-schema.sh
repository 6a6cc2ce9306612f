#!/bin/sh
# Builds the schema the application expects into the empty database that
# schemagate names in DATABASE_URL (an ORM's create_all, AutoMigrate or
# db push would go here).
set -eu
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  balance numeric(12,2) NOT NULL DEFAULT 0,
  closed_at timestamptz
);
CREATE INDEX accounts_name_idx ON accounts (lower(name));
SQL
