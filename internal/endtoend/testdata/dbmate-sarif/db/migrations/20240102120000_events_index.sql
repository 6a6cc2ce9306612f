-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY events_at_idx ON events (at);
TRUNCATE events;

-- migrate:down
DROP INDEX events_at_idx;
