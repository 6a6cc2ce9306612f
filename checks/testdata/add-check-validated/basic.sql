-- A validated CHECK on an existing table scans it under ACCESS EXCLUSIVE.
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0); -- want: add-check-validated "ADD CONSTRAINT \"orders_total_positive\" CHECK on \"orders\" scans every row while holding ACCESS EXCLUSIVE on \"orders\", blocking reads and writes"
ALTER TABLE app.orders ADD CHECK (qty > 0); -- want: add-check-validated "^ADD CHECK on \"app\".\"orders\""

-- NOT VALID, then VALIDATE in a statement that commits on its own: safe.
ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_positive;

-- A CHECK written on ADD COLUMN is left to other rules.
ALTER TABLE orders ADD COLUMN discount int CHECK (discount >= 0);

-- Other constraints are not this rule's business.
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
