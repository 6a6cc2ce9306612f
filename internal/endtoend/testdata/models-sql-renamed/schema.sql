-- The models name constraints by a naming convention: the same
-- definitions are notes, the foreign key's other ON DELETE is one drift.
CREATE TABLE users (
  id bigint CONSTRAINT pk_users PRIMARY KEY,
  email text NOT NULL CONSTRAINT uq_users_email UNIQUE
);
CREATE TABLE orders (
  id bigint CONSTRAINT pk_orders PRIMARY KEY,
  user_id bigint NOT NULL CONSTRAINT fk_orders_user_id_users REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_orders_user_id ON orders (user_id);
