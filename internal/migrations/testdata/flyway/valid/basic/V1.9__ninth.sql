ALTER TABLE users ADD COLUMN ninth text;
