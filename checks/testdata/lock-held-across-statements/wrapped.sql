-- checktest: tx=wrapped
-- The migration tool's transaction holds the foreign key's lock through the validation.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; -- want: lock-held-across-statements "^the SHARE ROW EXCLUSIVE lock that ALTER TABLE takes on \"orders\" is held until the transaction commits, while line 4 ALTER TABLE \"orders\" runs$"
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
-- checktest: down
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
-- checktest: next
-- The same statements, each committed on its own.
-- checktest: tx=none
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
