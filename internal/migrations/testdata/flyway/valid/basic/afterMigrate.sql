-- a callback, not a migration
ANALYZE;
