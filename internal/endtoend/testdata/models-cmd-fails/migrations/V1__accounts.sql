SET lock_timeout = '5s';
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  balance numeric(12,2) NOT NULL DEFAULT 0
);
