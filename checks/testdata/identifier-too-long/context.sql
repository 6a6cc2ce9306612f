-- Only the names of objects created or renamed are reported: referring to a
-- long name truncates it the same way, so the reference still works.
CREATE INDEX orders_long_idx ON customer_subscription_invoice_line_items_with_tax_breakdown_archive (billing_period_started_at_in_the_customers_own_local_time_zone_value);
SELECT billing_period_started_at_in_the_customers_own_local_time_zone_value FROM customer_subscription_invoice_line_items_with_tax_breakdown_archive;
ALTER TABLE customer_subscription_invoice_line_items_with_tax_breakdown_archive RENAME TO short_name;

-- Each name once per statement, at its first use.
CREATE TABLE events (
  billing_period_started_at_in_the_customers_own_local_time_zone_value timestamptz CHECK (billing_period_started_at_in_the_customers_own_local_time_zone_value > '2000-01-01'), -- want: identifier-too-long "column name"
  id bigint
);

-- Suppressed, with a reason.
-- schemagate:ignore identifier-too-long the ORM truncates the same way
CREATE TABLE customer_subscription_invoice_line_items_renamed_for_the_new_billing_system (id bigint);

-- Inside a DO block.
DO $$
BEGIN
  CREATE TABLE active_customer_subscription_invoice_line_items_with_tax_breakdown_view (id bigint); -- want: identifier-too-long "table name"
END
$$;
-- checktest: down
-- Down scripts create objects too.
ALTER TABLE orders ADD CONSTRAINT customer_subscription_invoice_line_items_amount_must_be_positive_check CHECK (id > 0); -- want: identifier-too-long "constraint name"
