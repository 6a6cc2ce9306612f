-- A column added, or a table created, earlier in the same migration is empty.
ALTER TABLE orders ADD COLUMN note varchar(100);
ALTER TABLE orders ALTER COLUMN note TYPE text;
CREATE TABLE refunds (id integer, amount numeric(10,2));
ALTER TABLE refunds ALTER COLUMN id TYPE bigint;

-- Suppressed, with a reason.
-- schemagate:ignore change-column-type the table holds a few hundred rows
ALTER TABLE countries ALTER COLUMN code TYPE text;

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE orders ALTER COLUMN status TYPE text; -- want: change-column-type
END
$$;
