CREATE TABLE t (id bigint PRIMARY KEY, at timestamp);
