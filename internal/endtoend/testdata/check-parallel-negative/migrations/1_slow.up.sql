CREATE TABLE t (id bigint PRIMARY KEY);
SELECT pg_sleep(5);
