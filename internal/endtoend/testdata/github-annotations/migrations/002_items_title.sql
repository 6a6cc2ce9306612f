ALTER TABLE items ALTER COLUMN title TYPE varchar(40);
DELETE FROM items;
