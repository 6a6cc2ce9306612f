SET lock_timeout = '5s';
CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  body text NOT NULL
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
