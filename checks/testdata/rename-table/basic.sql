ALTER TABLE customers RENAME TO accounts; -- want: rename-table "ALTER TABLE \"customers\" RENAME TO \"accounts\" breaks deployed code that still uses the old name"
ALTER TABLE IF EXISTS billing.invoices RENAME TO bills; -- want: rename-table "\"billing\".\"invoices\""
ALTER VIEW active_users RENAME TO current_users; -- want: rename-table "ALTER VIEW \"active_users\""
ALTER MATERIALIZED VIEW daily_totals RENAME TO totals_by_day; -- want: rename-table "ALTER MATERIALIZED VIEW"

-- Renaming what clients do not query by name is another matter.
ALTER INDEX users_email_idx RENAME TO users_email_key;
ALTER TABLE users RENAME CONSTRAINT users_check TO users_age_check;
ALTER SEQUENCE users_id_seq RENAME TO users_seq;
ALTER TABLE users RENAME COLUMN mail TO email;
