-- +goose Up
DO $$
BEGIN
  PERFORM 1; -- goose ends the statement here all the same
END $$;
