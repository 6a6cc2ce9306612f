-- migrate:up
CREATE TABLE tags (id serial PRIMARY KEY);

-- migrate:down
DROP TABLE tags;
