UPDATE users SET plan = 'free'; -- want: update-without-where "UPDATE \"users\" without WHERE rewrites every row and keeps them all locked"
UPDATE billing.invoices AS i SET total = total * 100; -- want: update-without-where "\"billing\".\"invoices\""
UPDATE orders SET region = c.region FROM customers c; -- want: update-without-where "\"orders\""
WITH moved AS (UPDATE tokens SET revoked = true RETURNING id) SELECT count(*) FROM moved; -- want: update-without-where "\"tokens\""

-- Batches name their rows.
UPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 10000;
UPDATE orders SET region = c.region FROM customers c WHERE orders.customer_id = c.id;
