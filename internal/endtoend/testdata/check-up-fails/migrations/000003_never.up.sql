CREATE TABLE never_applied (id bigint PRIMARY KEY);
