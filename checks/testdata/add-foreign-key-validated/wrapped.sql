-- checktest: tx=wrapped
-- The tool runs the whole migration in one transaction: NOT VALID followed by
-- VALIDATE gains nothing.
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey; -- want: add-foreign-key-validated "SHARE ROW EXCLUSIVE on \"orders\" and \"users\""
-- checktest: next
-- In the next migration, a transaction of its own: safe.
ALTER TABLE orders ADD CONSTRAINT orders_shop_fkey FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID;
-- checktest: next
ALTER TABLE orders VALIDATE CONSTRAINT orders_shop_fkey;
