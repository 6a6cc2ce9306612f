-- A table created earlier in the same migration is empty.
CREATE TABLE refunds (id bigint, amount int CHECK (amount > 0));
ALTER TABLE refunds ADD CONSTRAINT refunds_amount_small CHECK (amount < 1000000);

-- Validated in the transaction that added it NOT VALID: the ACCESS EXCLUSIVE
-- lock of the ADD is held through the scan.
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive; -- want: add-check-validated "VALIDATE CONSTRAINT \"orders_total_positive\" runs in the transaction that added it NOT VALID, so the lock ADD CHECK took \\(ACCESS EXCLUSIVE on \"orders\"\\) is held while every row is scanned"
COMMIT;

-- Inside a DO block, which is one transaction.
DO $$
BEGIN
  ALTER TABLE orders ADD CONSTRAINT orders_tax_positive CHECK (tax >= 0) NOT VALID;
  ALTER TABLE orders VALIDATE CONSTRAINT orders_tax_positive; -- want: add-check-validated "VALIDATE CONSTRAINT \"orders_tax_positive\""
END
$$;

-- Suppressed, with a reason.
-- schemagate:ignore add-check-validated the table holds thirty rows
ALTER TABLE currencies ADD CONSTRAINT currencies_code_len CHECK (length(code) = 3);

ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
-- checktest: next
-- VALIDATE in the next migration is the safe pattern.
ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_positive;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_set CHECK (reason <> ''); -- want: add-check-validated
