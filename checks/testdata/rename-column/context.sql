-- A column added earlier in the same migration is used by no deployed code.
ALTER TABLE users ADD COLUMN emial text;
ALTER TABLE users RENAME COLUMN emial TO email;

-- Nor is any column of a table created in it.
CREATE TABLE invoices (id bigint, amt bigint);
ALTER TABLE invoices RENAME COLUMN amt TO amount;

-- Suppressed, with a reason.
-- schemagate:ignore rename-column no deployed code reads this column yet
ALTER TABLE users RENAME COLUMN nick TO nickname;
-- checktest: next
ALTER TABLE invoices RENAME COLUMN amount TO total; -- want: rename-column
