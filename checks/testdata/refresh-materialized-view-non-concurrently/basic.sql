REFRESH MATERIALIZED VIEW daily_sales; -- want: refresh-materialized-view-non-concurrently "^REFRESH MATERIALIZED VIEW \"daily_sales\" without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on it, blocking its reads"
REFRESH MATERIALIZED VIEW reports.daily_sales WITH DATA; -- want: refresh-materialized-view-non-concurrently "\"reports\".\"daily_sales\""
-- WITH NO DATA takes the same lock and empties the view.
REFRESH MATERIALIZED VIEW daily_sales WITH NO DATA; -- want: refresh-materialized-view-non-concurrently "WITH NO DATA .* queries on it fail"

-- The safe variant.
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;

-- A view created earlier in the same migration has no readers yet.
CREATE MATERIALIZED VIEW monthly_sales AS SELECT date_trunc('month', day) AS month, sum(total) AS total FROM daily_sales GROUP BY 1 WITH NO DATA;
REFRESH MATERIALIZED VIEW monthly_sales;

-- Suppressed, with a reason.
-- schemagate:ignore refresh-materialized-view-non-concurrently nobody reads it during deploys
REFRESH MATERIALIZED VIEW admin_stats;

-- Inside a DO block.
DO $$
BEGIN
  REFRESH MATERIALIZED VIEW weekly_sales; -- want: refresh-materialized-view-non-concurrently "\"weekly_sales\""
END
$$;
-- checktest: next
-- In the next migration the view exists and has readers.
REFRESH MATERIALIZED VIEW monthly_sales; -- want: refresh-materialized-view-non-concurrently "\"monthly_sales\""
