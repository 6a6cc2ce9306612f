CREATE TABLE events (
  id integer PRIMARY KEY, -- want: prefer-bigint "column \"events\".\"id\" is integer, which overflows above 2147483647"
  hits int, -- want: prefer-bigint "\"events\".\"hits\" is integer"
  retries int4, -- want: prefer-bigint "\"events\".\"retries\" is integer"
  priority smallint, -- want: prefer-bigint "\"events\".\"priority\" is smallint, which overflows above 32767"
  level int2, -- want: prefer-bigint "smallint"
  seq serial, -- want: prefer-bigint "\"events\".\"seq\" is serial"
  small_seq smallserial, -- want: prefer-bigint "smallserial, which overflows above 32767"
  counts integer[], -- want: prefer-bigint "integer\\[\\]"
  total bigint,
  big_seq bigserial,
  ratio numeric,
  score real
);
ALTER TABLE users ADD COLUMN login_count integer; -- want: prefer-bigint "\"users\".\"login_count\""
ALTER TABLE users ALTER COLUMN age TYPE smallint; -- want: prefer-bigint "\"users\".\"age\" is smallint"
ALTER TABLE users ALTER COLUMN id TYPE bigint;
