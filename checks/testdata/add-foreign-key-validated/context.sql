-- A table created earlier in the same migration is empty.
CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id), customer_id bigint);
ALTER TABLE invoices ADD CONSTRAINT invoices_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);

-- Validated in the transaction that added it NOT VALID: the lock of the ADD
-- is held through the scan, so the VALIDATE is reported.
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey; -- want: add-foreign-key-validated "VALIDATE CONSTRAINT \"orders_user_id_fkey\" runs in the transaction that added it NOT VALID, so the lock ADD FOREIGN KEY took \\(SHARE ROW EXCLUSIVE on \"orders\" and \"users\"\\) is held while every row is checked"
COMMIT;

-- Added and validated by one statement.
ALTER TABLE orders
    ADD CONSTRAINT orders_store_fkey FOREIGN KEY (store_id) REFERENCES stores (id) NOT VALID, -- want: add-foreign-key-validated "VALIDATE CONSTRAINT \"orders_store_fkey\""
    VALIDATE CONSTRAINT orders_store_fkey;

-- Inside a DO block.
DO $$
BEGIN
  ALTER TABLE orders ADD CONSTRAINT orders_agent_fkey FOREIGN KEY (agent_id) REFERENCES agents (id); -- want: add-foreign-key-validated
END
$$;

-- Suppressed, with a reason.
-- schemagate:ignore add-foreign-key-validated both tables hold a few rows
ALTER TABLE countries ADD CONSTRAINT countries_region_fkey FOREIGN KEY (region_id) REFERENCES regions (id);

ALTER TABLE orders ADD CONSTRAINT orders_coupon_fkey FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;
-- checktest: next
-- VALIDATE in the next migration is the safe pattern.
ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_fkey;
-- The table created by the previous migration now exists and has rows.
ALTER TABLE invoices ADD CONSTRAINT invoices_shop_fkey FOREIGN KEY (shop_id) REFERENCES shops (id); -- want: add-foreign-key-validated
