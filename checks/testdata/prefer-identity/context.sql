-- Suppressed, with a reason.
-- schemagate:ignore prefer-identity the replication tool only knows serial columns
CREATE TABLE ledger (id bigserial PRIMARY KEY);

-- A type of another schema is not the serial shorthand.
CREATE TABLE tickets (id app.serial);
-- checktest: down
-- A down script restores the columns the schema had: not reported.
CREATE TABLE legacy (id serial PRIMARY KEY);
