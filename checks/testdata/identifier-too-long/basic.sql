-- Names longer than 63 bytes are truncated without an error.
CREATE TABLE customer_subscription_invoice_line_items_with_tax_breakdown_archive ( -- want: identifier-too-long "table name \"customer_subscription_invoice_line_items_with_tax_breakdown_archive\" is 67 bytes; PostgreSQL truncates it to \"customer_subscription_invoice_line_items_with_tax_breakdown_arc\""
  id bigint PRIMARY KEY,
  billing_period_started_at_in_the_customers_own_local_time_zone_value timestamptz, -- want: identifier-too-long "column name \"billing_period_started_at_in_the_customers_own_local_time_zone_value\" is 68 bytes"
  amount bigint CONSTRAINT customer_subscription_invoice_line_items_amount_must_be_positive_check CHECK (amount > 0) -- want: identifier-too-long "constraint name \"customer_subscription_invoice_line_items_amount_must_be_positive_check\""
);
CREATE INDEX customer_subscription_invoice_line_items_billing_period_started_at_idx -- want: identifier-too-long "index name \"customer_subscription_invoice_line_items_billing_period_started_at_idx\" is 70 bytes; PostgreSQL truncates it to \"customer_subscription_invoice_line_items_billing_period_started\""
  ON orders (created_at);
ALTER TABLE orders RENAME TO customer_subscription_invoice_line_items_renamed_for_the_new_billing_system; -- want: identifier-too-long "table name \"customer_subscription_invoice_line_items_renamed_for_the_new_billing_system\""
CREATE SCHEMA tenant_specific_reporting_schema_for_the_quarterly_financial_close_process; -- want: identifier-too-long "schema name"
CREATE VIEW "ACTIVE_CUSTOMER_SUBSCRIPTION_INVOICE_LINE_ITEMS_WITH_TAX_BREAKDOWN_VIEW" AS SELECT 1 AS one; -- want: identifier-too-long "view name \"ACTIVE_CUSTOMER_SUBSCRIPTION_INVOICE_LINE_ITEMS_WITH_TAX_BREAKDOWN_VIEW\""
ALTER TABLE orders ADD COLUMN "xüberprüfung_der_kundenabonnements_und_rechnungspositionen_für_steuern" text; -- want: identifier-too-long "column name \"xüberprüfung_der_kundenabonnements_und_rechnungspositionen_für_steuern\" is 73 bytes; PostgreSQL truncates it to \"xüberprüfung_der_kundenabonnements_und_rechnungspositionen_f\""

-- Unquoted names are folded to lower case before they are measured.
CREATE SEQUENCE CUSTOMER_SUBSCRIPTION_INVOICE_LINE_ITEMS_WITH_TAX_BREAKDOWN__SEQUENCE; -- want: identifier-too-long "sequence name \"customer_subscription_invoice_line_items_with_tax_breakdown__sequence\""

-- 63 bytes is the limit, not over it.
CREATE TABLE exactly_sixty_three_bytes_long_identifier_is_kept_as_it_is_ok_x (id bigint);
