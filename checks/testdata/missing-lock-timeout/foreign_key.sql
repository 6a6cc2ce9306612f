-- A foreign key from a new table locks the existing table it references.
CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id)); -- want: missing-lock-timeout "CREATE TABLE requests a SHARE ROW EXCLUSIVE lock on \"users\""
