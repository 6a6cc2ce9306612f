CREATE TABLE posts (id bigserial PRIMARY KEY, title text NOT NULL);
