-- Suppressed: a fixed-width format.
-- schemagate:ignore ban-char the mainframe export expects fixed-width fields
ALTER TABLE exports ADD COLUMN record_type char(4);

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN gender char(1); -- want: ban-char
END
$$;
-- checktest: down
-- A down script restores the columns the schema had: not reported.
ALTER TABLE users ADD COLUMN legacy_code char(8);
