DROP TABLE audit;
CREATE TABLE audit_archive (id bigint PRIMARY KEY);
