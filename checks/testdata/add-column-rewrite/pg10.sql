-- checktest: pg=10
-- Before PostgreSQL 11 every non-null default rewrites the table.
ALTER TABLE users ADD COLUMN plan text DEFAULT 'free'; -- want: add-column-rewrite "^on PostgreSQL 10 a default on new column \"plan\" rewrites existing table \"users\" under ACCESS EXCLUSIVE lock"
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(); -- want: add-column-rewrite "PostgreSQL 10"
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp(); -- want: add-column-rewrite "^volatile default clock_timestamp"
ALTER TABLE users ADD COLUMN code text DEFAULT make_code(); -- want: add-column-rewrite "PostgreSQL 10"

-- A null default, or none, is still free.
ALTER TABLE users ADD COLUMN note text DEFAULT NULL;
ALTER TABLE users ADD COLUMN nickname text;

-- New tables are empty whatever the version.
CREATE TABLE t (id int);
ALTER TABLE t ADD COLUMN x int DEFAULT 0;
