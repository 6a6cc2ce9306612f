ALTER TABLE nowhere ADD COLUMN email text;
