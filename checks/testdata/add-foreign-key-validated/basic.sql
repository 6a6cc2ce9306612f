-- A validated foreign key on an existing table checks every row under
-- SHARE ROW EXCLUSIVE on both tables.
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey -- want: add-foreign-key-validated "ADD CONSTRAINT \"orders_user_id_fkey\" FOREIGN KEY on \"orders\" validates every row while holding SHARE ROW EXCLUSIVE on \"orders\" and \"users\", blocking writes"
    FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE orders ADD FOREIGN KEY (parent_id) REFERENCES orders (id); -- want: add-foreign-key-validated "^ADD FOREIGN KEY on \"orders\" validates every row while holding SHARE ROW EXCLUSIVE on \"orders\", blocking writes"
ALTER TABLE app.orders ADD FOREIGN KEY (shop_id) REFERENCES app.shops; -- want: add-foreign-key-validated "on \"app\".\"orders\" and \"app\".\"shops\""

-- NOT VALID, then VALIDATE in a statement that commits on its own: safe.
ALTER TABLE orders ADD CONSTRAINT orders_shop_fkey FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_shop_fkey;

-- ADD COLUMN ... REFERENCES: the new column is NULL in every row, so
-- PostgreSQL checks nothing.
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
-- With a default, every row has a value to look up.
ALTER TABLE orders ADD COLUMN region_id bigint DEFAULT 1 REFERENCES regions (id); -- want: add-foreign-key-validated "ADD COLUMN \"region_id\" REFERENCES \"regions\" on \"orders\" validates every row"
-- A FOREIGN KEY constraint in the same statement makes PostgreSQL check the
-- column's too.
ALTER TABLE orders
    ADD COLUMN carrier_id bigint REFERENCES carriers (id), -- want: add-foreign-key-validated "ADD COLUMN \"carrier_id\""
    ADD CONSTRAINT orders_zone_fkey FOREIGN KEY (zone_id) REFERENCES zones (id) NOT VALID;

-- Other constraints are not this rule's business.
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
