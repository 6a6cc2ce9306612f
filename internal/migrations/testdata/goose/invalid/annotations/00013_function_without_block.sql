-- +goose Up
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.n := 1;
  RETURN NEW;
END $$;
