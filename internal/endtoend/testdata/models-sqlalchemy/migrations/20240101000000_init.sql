-- schemagate:ignore-file prefer-bigint,prefer-text,prefer-identity,lock-held-across-statements
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE users (
  id serial PRIMARY KEY,
  email varchar(255) NOT NULL,
  nickname varchar(30),
  is_admin boolean NOT NULL DEFAULT false,
  legacy_flag boolean
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE posts (
  id serial PRIMARY KEY,
  author_id integer NOT NULL REFERENCES users (id),
  title varchar(200) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW recent_posts AS SELECT * FROM posts WHERE created_at > now() - interval '7 days';

-- migrate:down
SET lock_timeout = '5s';
DROP VIEW recent_posts;
DROP TABLE posts;
DROP TABLE users;
