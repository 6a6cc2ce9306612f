-- An earlier migration declares the types.
CREATE TABLE users (
  id integer,
  email varchar(100),
  name varchar(50),
  bio varchar,
  notes text,
  balance numeric(10,2),
  ratio numeric(5,3),
  flags bit varying(8),
  net cidr,
  created_at timestamp,
  code text,
  tags varchar(20)[]
);
-- checktest: next
-- Binary-compatible changes keep every stored value: no rewrite.
ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
ALTER TABLE users ALTER COLUMN name TYPE text;
ALTER TABLE users ALTER COLUMN bio TYPE text;
ALTER TABLE users ALTER COLUMN notes TYPE varchar;
ALTER TABLE users ALTER COLUMN balance TYPE numeric(12,2);
ALTER TABLE users ALTER COLUMN ratio TYPE numeric;
ALTER TABLE users ALTER COLUMN flags TYPE varbit(16);
ALTER TABLE users ALTER COLUMN net TYPE inet;
ALTER TABLE users ALTER COLUMN code TYPE text USING code;
ALTER TABLE users ALTER COLUMN tags TYPE varchar(20)[];
-- checktest: next
-- The types the previous migration gave are the current ones now.
ALTER TABLE users ALTER COLUMN email TYPE varchar(250) USING email::varchar(250);
ALTER TABLE users ALTER COLUMN email TYPE varchar(100); -- want: change-column-type "TYPE varchar\\(100\\) \\(from varchar\\(250\\)\\) rewrites the table"
-- checktest: next
-- Changes that rewrite the table.
ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want: change-column-type "ALTER COLUMN \"users\".\"id\" TYPE bigint \\(from integer\\) rewrites the table and its indexes under an ACCESS EXCLUSIVE lock"
ALTER TABLE users ALTER COLUMN notes TYPE varchar(500); -- want: change-column-type "from varchar\\) rewrites"
ALTER TABLE users ALTER COLUMN balance TYPE numeric(12,4); -- want: change-column-type "from numeric\\(12,2\\)"
ALTER TABLE users ALTER COLUMN ratio TYPE numeric(5,3); -- want: change-column-type "from numeric"
ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz; -- want: change-column-type "from timestamp"
ALTER TABLE users ALTER COLUMN bio TYPE text USING trim(bio); -- want: change-column-type "from text"
ALTER TABLE users ALTER COLUMN tags TYPE varchar(30)[]; -- want: change-column-type "from varchar\\(20\\)\\[\\]"
ALTER TABLE users ALTER COLUMN code TYPE text COLLATE "C"; -- want: change-column-type "with a new collation rebuilds the column's indexes"
