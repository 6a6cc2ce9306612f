CREATE TABLE items (id int PRIMARY KEY, title varchar(80));
