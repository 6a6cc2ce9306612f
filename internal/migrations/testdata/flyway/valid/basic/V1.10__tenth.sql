ALTER TABLE users ADD COLUMN tenth text;
