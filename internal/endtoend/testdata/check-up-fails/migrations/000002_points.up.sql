ALTER TABLE users ADD COLUMN points integer;
UPDATE users SET points = 'many' WHERE id = 1;
