CREATE TABLE events (
  id bigint PRIMARY KEY,
  happened_at timestamp NOT NULL, -- want: prefer-timestamptz "column \"events\".\"happened_at\" is timestamp without time zone"
  logged_at timestamp(3) without time zone, -- want: prefer-timestamptz "\"events\".\"logged_at\""
  seen_at "timestamp", -- want: prefer-timestamptz "\"events\".\"seen_at\""
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamp with time zone,
  opens_at time,
  day date
);
ALTER TABLE users ADD COLUMN deleted_at timestamp; -- want: prefer-timestamptz "\"users\".\"deleted_at\""
ALTER TABLE users ALTER COLUMN created_at TYPE timestamp; -- want: prefer-timestamptz
ALTER TABLE users ALTER COLUMN updated_at TYPE timestamptz;
