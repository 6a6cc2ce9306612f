-- migrate:up
CREATE TABLE events (id bigserial PRIMARY KEY, payload json, at timestamp);

-- migrate:down
DROP TABLE events;
