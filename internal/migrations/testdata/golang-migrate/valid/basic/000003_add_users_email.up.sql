-- no down migration: irreversible on purpose
ALTER TABLE users ADD COLUMN email text;
