SET lock_timeout = '5s';
CREATE TYPE status AS ENUM ('active', 'banned');
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  nickname varchar(30),
  status status NOT NULL DEFAULT 'active',
  legacy_flag boolean
);
CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  title text NOT NULL CHECK (title <> '')
);
