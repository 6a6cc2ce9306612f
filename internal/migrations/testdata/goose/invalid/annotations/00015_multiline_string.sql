-- +goose Up
COMMENT ON TABLE users IS 'first line
costs $$ in the text;
end';
SELECT 1;
