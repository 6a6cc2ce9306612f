CREATE TYPE user_status AS ENUM ('active', 'banned');
ALTER TABLE users ADD COLUMN status user_status;
