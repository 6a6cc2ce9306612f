CREATE TABLE countries (
  code char(2) PRIMARY KEY, -- want: ban-char "column \"countries\".\"code\" is char\\(2\\), which pads values with spaces"
  iso3 character(3), -- want: ban-char "\"countries\".\"iso3\" is char\\(3\\)"
  flag char, -- want: ban-char "\"countries\".\"flag\" is char\\(1\\)"
  region bpchar, -- want: ban-char "\"countries\".\"region\" is bpchar"
  kind "char",
  name text NOT NULL,
  short_name varchar(20)
);
ALTER TABLE users ADD COLUMN currency char(3); -- want: ban-char "\"users\".\"currency\""
ALTER TABLE users ALTER COLUMN currency TYPE character(3); -- want: ban-char
ALTER TABLE users ALTER COLUMN currency TYPE text;
