-- Dropping a table that existed before the migration loses its rows.
DROP TABLE legacy_orders; -- want: drop-table "DROP TABLE \"legacy_orders\" deletes the table and all its rows; deployed code"
DROP TABLE IF EXISTS archive.events, old_sessions CASCADE; -- want: drop-table "\"archive\".\"events\"" drop-table "\"old_sessions\""

-- Each table of a statement is reported on its own line.
DROP TABLE
  old_a, -- want: drop-table "\"old_a\""
  old_b; -- want: drop-table "\"old_b\""

-- Other objects are not tables.
DROP VIEW legacy_view;
DROP MATERIALIZED VIEW legacy_totals;
DROP INDEX legacy_idx;
DROP SEQUENCE legacy_seq;
