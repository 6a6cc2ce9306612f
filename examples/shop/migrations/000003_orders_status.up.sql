SET lock_timeout = '5s';

-- Nullable, constant default: a catalog-only change since PostgreSQL 11.
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
