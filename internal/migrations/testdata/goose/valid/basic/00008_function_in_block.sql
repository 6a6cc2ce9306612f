-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION touch_in_block() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.n := 1; -- a ';' in a comment: $$ is no quote here
  RETURN NEW;
END $body$;
-- +goose StatementEnd
SELECT '$$;';
SELECT 1;
