CREATE TABLE users (
  id bigint PRIMARY KEY,
  email varchar(255), -- want: prefer-text "column \"users\".\"email\" is varchar\\(255\\); changing the limit later takes an ACCESS EXCLUSIVE lock"
  name character varying(100) NOT NULL, -- want: prefer-text "\"users\".\"name\" is varchar\\(100\\)"
  tags varchar(20)[], -- want: prefer-text "varchar\\(20\\)\\[\\]"
  nickname varchar,
  bio text,
  country char(2)
);
ALTER TABLE users ADD COLUMN phone varchar(32); -- want: prefer-text "\"users\".\"phone\""
ALTER TABLE users ALTER COLUMN email TYPE varchar(320); -- want: prefer-text "varchar\\(320\\)"
ALTER TABLE users ALTER COLUMN name TYPE text;
