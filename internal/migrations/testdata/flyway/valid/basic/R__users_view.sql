CREATE OR REPLACE VIEW users_v AS SELECT id, name FROM users;
