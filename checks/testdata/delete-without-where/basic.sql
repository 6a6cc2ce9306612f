DELETE FROM sessions; -- want: delete-without-where "DELETE FROM \"sessions\" without WHERE deletes every row of the table"
DELETE FROM ONLY audit.log AS l; -- want: delete-without-where "\"audit\".\"log\""
-- USING without WHERE joins every row with the other table.
DELETE FROM orders USING customers; -- want: delete-without-where "\"orders\""
-- A DELETE inside a WITH clause.
WITH gone AS (DELETE FROM tokens RETURNING id) SELECT count(*) FROM gone; -- want: delete-without-where "\"tokens\""

-- The safe variants name the rows.
DELETE FROM sessions WHERE expires_at < now();
DELETE FROM orders USING customers WHERE orders.customer_id = customers.id AND customers.deleted;
DELETE FROM sessions WHERE true;
