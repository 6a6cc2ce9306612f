-- not a migration: no version, goose ignores it
CREATE TABLE x (id int);
