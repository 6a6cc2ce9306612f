-- One object of every kind the snapshot knows, and a few it must leave out
-- (extension members, comments, internal triggers).
CREATE EXTENSION hstore VERSION '1.7';
CREATE SCHEMA app;
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.posix (locale = 'POSIX');
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b text COLLATE "C");
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE app.later;
CREATE SEQUENCE app.counter AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 START 20 CACHE 2 CYCLE;

CREATE TABLE app.orgs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE app.users (
  id serial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES app.orgs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  email character varying(200) COLLATE "C" NOT NULL DEFAULT '',
  nickname character varying(30) DEFAULT 'x',
  mood app.mood DEFAULT 'ok',
  score app.positive,
  attrs hstore,
  created_at timestamptz NOT NULL DEFAULT now(),
  lower_email text GENERATED ALWAYS AS (lower(email)) STORED,
  big text,
  ratio numeric(5,2) DEFAULT 0.5,
  since date DEFAULT '2024-02-29',
  wait interval DEFAULT '1 day 2 hours',
  at timestamptz DEFAULT '2024-01-01 12:00:00+02'
);
ALTER TABLE app.users ALTER COLUMN big SET STORAGE EXTERNAL, ALTER COLUMN big SET COMPRESSION pglz,
  ALTER COLUMN nickname SET STATISTICS 200, ALTER COLUMN nickname SET (n_distinct = 100);
ALTER TABLE app.users ADD CONSTRAINT users_nickname_check CHECK (nickname <> '') NOT VALID;
CREATE INDEX users_email_idx ON app.users (lower(email) text_pattern_ops DESC NULLS LAST) INCLUDE (id)
  WITH (fillfactor = 70) WHERE nickname IS NOT NULL;
CREATE INDEX users_attrs_idx ON app.users USING gin (attrs);
CREATE UNIQUE INDEX users_org_nickname ON app.users (org_id, nickname COLLATE "C" NULLS FIRST) NULLS NOT DISTINCT;
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_own ON app.users AS RESTRICTIVE FOR SELECT TO PUBLIC USING (org_id = 1);
CREATE STATISTICS app.users_stats (dependencies) ON org_id, nickname FROM app.users;

CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v jsonb) WITH (fillfactor = 80);
ALTER TABLE app.cache REPLICA IDENTITY FULL;
CREATE RULE cache_no_delete AS ON DELETE TO app.cache DO INSTEAD NOTHING;

CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_at_idx ON app.events (at);

CREATE TABLE app.base (id integer);
CREATE TABLE app.child (extra text) INHERITS (app.base);

CREATE TABLE public."Mixed Case" ("Select" integer, "user" text);

CREATE VIEW app.active_users WITH (security_barrier = true) AS
  SELECT id, email FROM app.users WHERE nickname IS NOT NULL;
CREATE MATERIALIZED VIEW app.user_counts AS
  SELECT org_id, count(*) AS n FROM app.users GROUP BY org_id WITH NO DATA;
CREATE UNIQUE INDEX user_counts_org ON app.user_counts (org_id);

CREATE FUNCTION app.add(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a + b $$;
CREATE PROCEDURE app.touch(id integer) LANGUAGE sql
  AS $$ UPDATE app.users SET nickname = nickname WHERE users.id = touch.id $$;
CREATE AGGREGATE app.total(integer) (SFUNC = app.add, STYPE = integer, INITCOND = '0');
CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER users_stamp BEFORE INSERT OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.stamp();
CREATE TRIGGER users_stamp_off AFTER DELETE ON app.users FOR EACH ROW EXECUTE FUNCTION app.stamp();
ALTER TABLE app.users DISABLE TRIGGER users_stamp_off;

CREATE FOREIGN DATA WRAPPER dummy;
CREATE SERVER files FOREIGN DATA WRAPPER dummy OPTIONS (host 'files.example');
CREATE FOREIGN TABLE app.remote (id integer OPTIONS (column_name 'ID'), name text) SERVER files OPTIONS (table_name 'remote');

CREATE FUNCTION app.on_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER no_drops ON sql_drop WHEN TAG IN ('DROP TABLE') EXECUTE FUNCTION app.on_drop();

COMMENT ON TABLE app.users IS 'comments are not part of the schema';
COMMENT ON COLUMN app.users.email IS 'nor are column comments';
