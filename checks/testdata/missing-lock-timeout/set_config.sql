SELECT set_config('lock_timeout', '2s', false);
ALTER TABLE users DROP COLUMN legacy;
LOCK TABLE users IN ACCESS EXCLUSIVE MODE;
