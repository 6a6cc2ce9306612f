DROP SCHEMA reporting CASCADE; -- want: drop-schema "DROP SCHEMA \"reporting\" CASCADE deletes every object in the schema"
DROP SCHEMA IF EXISTS old_a, old_b; -- want: drop-schema "DROP SCHEMA \"old_a\" removes the schema" drop-schema "\"old_b\""

-- Other objects are not schemas.
DROP TABLE IF EXISTS reporting_tmp;
DROP VIEW reporting_view;
