ALTER TABLE users ADD COLUMN name varchar(100) NOT NULL;
CREATE INDEX users_created_at_idx ON users (created_at);
ALTER TABLE orders RENAME COLUMN total TO amount;
