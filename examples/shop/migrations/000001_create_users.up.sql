CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The table is new and empty: indexing it in the same migration is safe.
CREATE UNIQUE INDEX users_email_key ON users (email);
