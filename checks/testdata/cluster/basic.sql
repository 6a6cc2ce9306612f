CLUSTER events USING events_created_at_idx; -- want: cluster "^CLUSTER rewrites \"events\" under ACCESS EXCLUSIVE lock"
CLUSTER app.events; -- want: cluster "\"app\".\"events\""
CLUSTER (VERBOSE) events; -- want: cluster
-- Without a table, every table clustered before.
CLUSTER; -- want: cluster "every previously clustered table"

-- Recording the clustering index does not reorder anything.
ALTER TABLE events CLUSTER ON events_created_at_idx;
ALTER TABLE events SET WITHOUT CLUSTER;

-- A table created earlier in the same migration is empty.
CREATE TABLE scratch (id bigint PRIMARY KEY);
CLUSTER scratch USING scratch_pkey;

-- Suppressed, with a reason.
CLUSTER countries USING countries_pkey; -- schemagate:ignore cluster 250 rows

-- Inside a DO block.
DO $$
BEGIN
  CLUSTER orders USING orders_pkey; -- want: cluster "\"orders\""
END
$$;
-- checktest: next
CLUSTER scratch USING scratch_pkey; -- want: cluster "\"scratch\""
