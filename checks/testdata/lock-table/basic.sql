BEGIN;
LOCK TABLE accounts; -- want: lock-table "^LOCK TABLE \"accounts\" IN ACCESS EXCLUSIVE MODE blocks reads and writes of it until the transaction ends"
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE NOWAIT; -- want: lock-table "ACCESS EXCLUSIVE MODE blocks reads and writes"
LOCK TABLE accounts IN EXCLUSIVE MODE; -- want: lock-table "EXCLUSIVE MODE blocks writes and SELECT ... FOR UPDATE"
LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE; -- want: lock-table "SHARE ROW EXCLUSIVE MODE blocks writes of it"
LOCK TABLE app.accounts IN SHARE MODE; -- want: lock-table "^LOCK TABLE \"app\".\"accounts\" IN SHARE MODE blocks writes of it"
-- Each table is reported where it is named.
LOCK TABLE accounts, -- want: lock-table "\"accounts\""
    invoices IN SHARE MODE; -- want: lock-table "\"invoices\""

-- Modes that block neither reads nor writes.
LOCK TABLE accounts IN SHARE UPDATE EXCLUSIVE MODE;
LOCK TABLE accounts IN ROW EXCLUSIVE MODE;
LOCK TABLE accounts IN ROW SHARE MODE;
LOCK TABLE accounts IN ACCESS SHARE MODE;

-- A table created earlier in the same migration has no users yet.
CREATE TABLE ledger (id bigint);
LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE;
LOCK TABLE ledger, invoices; -- want: lock-table "\"invoices\""

-- Suppressed, with a reason.
-- schemagate:ignore lock-table the backfill and the constraint must see the same rows
LOCK TABLE payments IN SHARE MODE;
COMMIT;
-- checktest: next
BEGIN;
LOCK TABLE ledger; -- want: lock-table "\"ledger\""
COMMIT;
