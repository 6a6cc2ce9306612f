-- migrate:up
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10, 2) DEFAULT 0, note text);

-- migrate:down
DROP TABLE orders;
