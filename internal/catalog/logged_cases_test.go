package catalog

import "testing"

// loggedCase is a case that Logged must get right: setup runs before
// the Logged is made (its first snapshot prints everything), then each
// step is followed by a snapshot that must be Take's.
type loggedCase struct {
	name  string
	setup string
	steps []string
}

const tree3 = `CREATE TABLE p (a integer, b integer) PARTITION BY RANGE (a);
CREATE TABLE s PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE ss PARTITION OF s FOR VALUES FROM (0) TO (5);`

const tree4 = tree3 + `
ALTER TABLE ss RENAME TO ss_tmp; DROP TABLE ss_tmp;
CREATE TABLE ss PARTITION OF s FOR VALUES FROM (0) TO (5) PARTITION BY RANGE (a);
CREATE TABLE sss PARTITION OF ss FOR VALUES FROM (0) TO (3);`

const inh4 = `CREATE TABLE i1 (a integer, b integer);
CREATE TABLE i2 () INHERITS (i1);
CREATE TABLE i3 () INHERITS (i2);
CREATE TABLE i4 () INHERITS (i3);`

const trigFunc = `CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';`

var loggedCases = []loggedCase{
	// Inheritance and partition trees several levels deep.
	{"rename inherited check constraint", `CREATE TABLE p (a integer CONSTRAINT c CHECK (a > 0)); CREATE TABLE ch () INHERITS (p)`,
		[]string{`ALTER TABLE p RENAME CONSTRAINT c TO c2`}},
	{"rename partition check constraint", `CREATE TABLE p (a integer CONSTRAINT c CHECK (a > 0)) PARTITION BY RANGE (a);
		CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)`,
		[]string{`ALTER TABLE p RENAME CONSTRAINT c TO c2`}},
	{"create index on 3-level partition tree", tree3, []string{`CREATE INDEX p_b ON p (b)`}},
	{"create trigger on 3-level partition tree", tree3 + trigFunc,
		[]string{`CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf()`}},
	{"rename trigger on 3-level partition tree", tree3 + trigFunc + `CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf()`,
		[]string{`ALTER TRIGGER tr ON p RENAME TO tr2`}},
	{"attach partitioned table with partitions", `CREATE TABLE p (a integer, b integer) PARTITION BY RANGE (a); CREATE INDEX p_b ON p (b);
		CREATE TABLE s (a integer, b integer) PARTITION BY RANGE (a); CREATE TABLE ss PARTITION OF s FOR VALUES FROM (0) TO (5)`,
		[]string{`ALTER TABLE p ATTACH PARTITION s FOR VALUES FROM (0) TO (10)`}},
	{"attach partitioned table, trigger cloned", trigFunc + `CREATE TABLE p (a integer, b integer) PARTITION BY RANGE (a);
		CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf();
		CREATE TABLE s (a integer, b integer) PARTITION BY RANGE (a); CREATE TABLE ss PARTITION OF s FOR VALUES FROM (0) TO (5)`,
		[]string{`ALTER TABLE p ATTACH PARTITION s FOR VALUES FROM (0) TO (10)`}},
	{"detach from 4-level tree with trigger", tree4 + trigFunc + `CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf()`,
		[]string{`ALTER TABLE p DETACH PARTITION s`}},
	{"detach concurrently with trigger and foreign key", trigFunc + `CREATE TABLE t (id integer PRIMARY KEY);
		CREATE TABLE p (a integer, b integer REFERENCES t) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
		CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf(); CREATE INDEX p_b ON p (b)`,
		[]string{`ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY`}},
	{"add column to 4-level partition tree", tree4, []string{`ALTER TABLE p ADD COLUMN c integer`}},
	{"alter column type in 4-level partition tree", tree4 + `CREATE INDEX p_b ON p (b)`, []string{`ALTER TABLE p ALTER COLUMN b TYPE bigint`}},
	{"rename column in 4-level inheritance", inh4, []string{`ALTER TABLE i1 RENAME COLUMN b TO bb`}},
	{"add check in 4-level inheritance", inh4, []string{`ALTER TABLE i1 ADD CONSTRAINT pos CHECK (a > 0)`}},
	{"set statistics in 4-level inheritance", inh4, []string{`ALTER TABLE i1 ALTER COLUMN a SET STATISTICS 100`}},
	{"rename column, view on grandchild", `CREATE TABLE i1 (a integer, b integer); CREATE TABLE i2 () INHERITS (i1);
		CREATE TABLE i3 () INHERITS (i2); CREATE VIEW v3 AS SELECT b FROM i3`,
		[]string{`ALTER TABLE i1 RENAME COLUMN b TO bb`}},
	{"rename column, statistics on grandchild", `CREATE TABLE i1 (a integer, b integer); CREATE TABLE i2 () INHERITS (i1);
		CREATE TABLE i3 () INHERITS (i2); CREATE STATISTICS st3 ON a, b FROM i3`,
		[]string{`ALTER TABLE i1 RENAME COLUMN b TO bb`}},
	{"rename column, foreign key to grandchild", `CREATE TABLE i1 (a integer, b integer); CREATE TABLE i2 () INHERITS (i1);
		CREATE TABLE i3 (UNIQUE (b)) INHERITS (i2); CREATE TABLE r (x integer REFERENCES i3 (b))`,
		[]string{`ALTER TABLE i1 RENAME COLUMN b TO bb`}},
	{"inherit and no inherit with columns and checks", `CREATE TABLE pa (a integer CONSTRAINT ck CHECK (a > 0), b text); CREATE TABLE ch (a integer CONSTRAINT ck CHECK (a > 0), b text, c integer)`,
		[]string{`ALTER TABLE ch INHERIT pa`, `ALTER TABLE pa RENAME COLUMN b TO bb`, `ALTER TABLE ch NO INHERIT pa`, `ALTER TABLE pa RENAME TO pa2`}},
	{"attach index validates grandparent index", tree3 + `CREATE INDEX p_b ON ONLY p (b); CREATE INDEX s_b ON ONLY s (b);
		ALTER INDEX p_b ATTACH PARTITION s_b; CREATE INDEX ss_b ON ss (b)`,
		[]string{`ALTER INDEX s_b ATTACH PARTITION ss_b`}},
	{"attach index", `CREATE TABLE p (a integer, b integer) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
		CREATE INDEX p_b ON ONLY p (b); CREATE INDEX p1_b ON p1 (b)`,
		[]string{`ALTER INDEX p_b ATTACH PARTITION p1_b`}},
	{"attach and detach with foreign keys", `CREATE TABLE t (id integer PRIMARY KEY);
		CREATE TABLE p (a integer, b integer REFERENCES t) PARTITION BY RANGE (a); CREATE TABLE p1 (a integer, b integer);
		CREATE TABLE q (a integer, b integer, PRIMARY KEY (a, b)) PARTITION BY RANGE (a); CREATE TABLE q1 (a integer, b integer, PRIMARY KEY (a, b));
		CREATE TABLE r (a integer, b integer, FOREIGN KEY (a, b) REFERENCES q)`,
		[]string{`ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM (0) TO (10)`, `ALTER TABLE q ATTACH PARTITION q1 FOR VALUES FROM (0) TO (10)`,
			`ALTER TABLE t RENAME TO t2`, `ALTER TABLE p DETACH PARTITION p1`, `ALTER TABLE q DETACH PARTITION q1`}},

	// Objects that move or are renamed along with another.
	{"set schema of a table whose owned sequence others use", `CREATE SCHEMA s2; CREATE TABLE t (id serial);
		CREATE TABLE u (x integer DEFAULT nextval('t_id_seq'))`,
		[]string{`ALTER TABLE t SET SCHEMA s2`}},
	{"set schema of a table whose owned sequence a view uses", `CREATE SCHEMA s2; CREATE TABLE t (id serial);
		CREATE VIEW v AS SELECT last_value FROM t_id_seq`,
		[]string{`ALTER TABLE t SET SCHEMA s2`}},
	{"set schema of a table with identity, indexes", `CREATE SCHEMA s2; CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
		CREATE INDEX t_v ON t (v); CREATE TABLE r (x integer REFERENCES t)`,
		[]string{`ALTER TABLE t SET SCHEMA s2`}},
	{"set schema of a sequence used by a default", `CREATE SCHEMA s2; CREATE SEQUENCE q; CREATE TABLE u (x integer DEFAULT nextval('q'))`,
		[]string{`ALTER SEQUENCE q SET SCHEMA s2`, `ALTER SEQUENCE s2.q RENAME TO q2`}},
	{"owned by", `CREATE SEQUENCE q; CREATE TABLE u (x integer DEFAULT nextval('q')); CREATE TABLE w (y integer)`,
		[]string{`ALTER SEQUENCE q OWNED BY u.x`, `ALTER SEQUENCE q OWNED BY w.y`, `ALTER TABLE w RENAME COLUMN y TO yy`, `DROP TABLE w CASCADE`}},
	{"identity columns", `CREATE TABLE t (id integer NOT NULL, v integer)`,
		[]string{`ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY`, `ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT`,
			`ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 2`, `ALTER TABLE t ALTER COLUMN id TYPE bigint`, `ALTER TABLE t ALTER COLUMN id DROP IDENTITY`}},
	{"drop identity", `CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY, v integer)`,
		[]string{`ALTER TABLE t ALTER COLUMN id DROP IDENTITY`}},
	{"drop identity column", `CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY, v integer)`,
		[]string{`ALTER TABLE t DROP COLUMN id`}},
	{"generated column and function", `CREATE FUNCTION f(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1';
		CREATE TABLE t (a integer, g integer GENERATED ALWAYS AS (f(a)) STORED); CREATE TABLE t2 () INHERITS (t)`,
		[]string{`ALTER FUNCTION f(integer) RENAME TO f2`, `ALTER TABLE t RENAME COLUMN a TO aa`, `ALTER TABLE t ALTER COLUMN g DROP EXPRESSION`}},
	{"function renamed in trigger, index, check, policy, default", `CREATE FUNCTION f(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1';
		` + trigFunc + `CREATE TABLE t (a integer DEFAULT f(1) CHECK (f(a) > 0)); CREATE INDEX t_f ON t (f(a));
		CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW WHEN (f(NEW.a) > 0) EXECUTE FUNCTION tf();
		CREATE POLICY po ON t USING (f(a) > 0); CREATE STATISTICS st ON (f(a)), a FROM t`,
		[]string{`ALTER FUNCTION f(integer) RENAME TO g`, `ALTER FUNCTION tf() RENAME TO tg`, `CREATE SCHEMA s2`, `ALTER FUNCTION g(integer) SET SCHEMA s2`}},

	// Types.
	{"typed table, attribute added", `CREATE TYPE comp AS (a integer); CREATE TABLE tt OF comp`,
		[]string{`ALTER TYPE comp ADD ATTRIBUTE b integer CASCADE`}},
	{"typed table, attribute renamed", `CREATE TYPE comp AS (a integer); CREATE TABLE tt OF comp`,
		[]string{`ALTER TYPE comp RENAME ATTRIBUTE a TO aa CASCADE`}},
	{"typed table, attribute type", `CREATE TYPE comp AS (a integer); CREATE TABLE tt OF comp`,
		[]string{`ALTER TYPE comp ALTER ATTRIBUTE a TYPE bigint CASCADE`}},
	{"typed table, attribute dropped", `CREATE TYPE comp AS (a integer, b integer); CREATE TABLE tt OF comp`,
		[]string{`ALTER TYPE comp DROP ATTRIBUTE b CASCADE`}},
	{"partition key function returning enum, value renamed", `CREATE TYPE mood AS ENUM ('sad', 'ok');
		CREATE FUNCTION tomood(text) RETURNS mood LANGUAGE sql IMMUTABLE AS 'SELECT $1::mood';
		CREATE TABLE p (t text) PARTITION BY LIST (tomood(t)); CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('sad')`,
		[]string{`ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'`}},
	{"enum renamed in defaults, views, checks", `CREATE TYPE mood AS ENUM ('sad', 'ok');
		CREATE TABLE t (a text DEFAULT 'ok'::mood::text CHECK (a::mood <> 'sad'), m mood);
		CREATE VIEW v AS SELECT 'sad'::mood AS m; CREATE TABLE ch () INHERITS (t)`,
		[]string{`ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'`, `ALTER TYPE mood RENAME TO feeling`}},
	{"domains over domains", `CREATE DOMAIN d1 AS integer CHECK (VALUE > 0); CREATE DOMAIN d2 AS d1; CREATE DOMAIN d3 AS d2;
		CREATE TABLE t (x d3); CREATE FUNCTION f(d3) RETURNS d3 LANGUAGE sql AS 'SELECT $1'`,
		[]string{`ALTER DOMAIN d1 RENAME TO e1`, `CREATE SCHEMA s2`, `ALTER DOMAIN e1 SET SCHEMA s2`, `ALTER DOMAIN d2 ADD CONSTRAINT c2 CHECK (VALUE < 100)`,
			`ALTER DOMAIN d2 RENAME CONSTRAINT c2 TO c3`}},
	{"range types", `CREATE FUNCTION diff(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2';
		CREATE TYPE fr AS RANGE (subtype = float8, subtype_diff = diff); CREATE TABLE t (r fr)`,
		[]string{`ALTER FUNCTION diff(float8, float8) RENAME TO diff2`, `ALTER TYPE fr RENAME TO fr2`}},
	{"composite type used as column, field index", `CREATE TYPE comp AS (a integer, b text); CREATE TABLE t (c comp, cs comp[]);
		CREATE INDEX t_ca ON t (((c).a)); ALTER TABLE t ADD CONSTRAINT ck CHECK ((c).a > 0)`,
		[]string{`ALTER TYPE comp RENAME ATTRIBUTE a TO aa`, `ALTER TYPE comp RENAME TO comp2`}},

	// Views, materialized views, rules, policies, statistics, collations.
	{"views on views, column renamed", `CREATE TABLE t (a integer, b integer); CREATE VIEW v1 AS SELECT a, b FROM t;
		CREATE VIEW v2 AS SELECT a FROM v1; CREATE VIEW v3 AS SELECT * FROM v2`,
		[]string{`ALTER VIEW v1 RENAME COLUMN a TO aa`, `ALTER TABLE t RENAME COLUMN a TO x`, `ALTER VIEW v2 RENAME TO w2`}},
	{"materialized view with index", `CREATE TABLE t (a integer); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX m_a ON m (a)`,
		[]string{`ALTER MATERIALIZED VIEW m RENAME COLUMN a TO aa`, `ALTER MATERIALIZED VIEW m RENAME TO m2`, `ALTER INDEX m_a RENAME TO m2_a`}},
	{"rules", `CREATE TABLE t (a integer); CREATE TABLE u (a integer); CREATE RULE r AS ON INSERT TO t DO ALSO INSERT INTO u VALUES (NEW.a)`,
		[]string{`ALTER TABLE u RENAME COLUMN a TO b`, `ALTER TABLE u RENAME TO u2`, `ALTER RULE r ON t RENAME TO r2`, `ALTER TABLE t DISABLE RULE r2`}},
	{"policy with subquery on another table", `CREATE TABLE t (a integer); CREATE TABLE u (a integer); CREATE POLICY po ON t USING (a IN (SELECT a FROM u))`,
		[]string{`ALTER TABLE u RENAME COLUMN a TO b`, `ALTER TABLE u RENAME TO u2`}},
	{"collation renamed, used in index and domain", `CREATE COLLATION c1 (provider = icu, locale = 'de');
		CREATE DOMAIN dt AS text COLLATE c1; CREATE TABLE t (a text, b dt); CREATE INDEX t_a ON t (a COLLATE c1)`,
		[]string{`ALTER COLLATION c1 RENAME TO c2`, `CREATE SCHEMA s2`, `ALTER COLLATION c2 SET SCHEMA s2`}},
	{"create or replace function a view uses", `CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x';
		CREATE VIEW v AS SELECT f(1) AS a`,
		[]string{`CREATE OR REPLACE FUNCTION f(x integer) RETURNS integer LANGUAGE sql STABLE AS 'SELECT x + 1'`}},

	// Drops, transactions, DDL in functions.
	{"drop cascade chains", `CREATE FUNCTION f(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1';
		CREATE TABLE t (a integer, b integer DEFAULT f(1), c integer CHECK (f(c) > 0)); CREATE VIEW v AS SELECT f(a) FROM t;
		CREATE TABLE u (x integer); CREATE POLICY po ON u USING (f(x) > 0); CREATE INDEX u_f ON u (f(x));
		CREATE STATISTICS st ON (f(a)), b FROM t`,
		[]string{`DROP FUNCTION f(integer) CASCADE`}},
	{"drop column cascade", `CREATE TABLE t (a integer, b integer); CREATE TABLE u (x integer);
		CREATE POLICY po ON u USING (x IN (SELECT b FROM t)); CREATE VIEW v AS SELECT b FROM t; CREATE STATISTICS st ON a, b FROM t`,
		[]string{`ALTER TABLE t DROP COLUMN b CASCADE`}},
	{"savepoints", `CREATE TABLE t (a integer)`,
		[]string{`BEGIN; ALTER TABLE t ADD COLUMN b integer; SAVEPOINT x; ALTER TABLE t RENAME COLUMN b TO c; ROLLBACK TO SAVEPOINT x; ALTER TABLE t ADD COLUMN d integer; COMMIT`,
			`DO $$ BEGIN BEGIN ALTER TABLE t ADD COLUMN e integer; RAISE EXCEPTION 'no'; EXCEPTION WHEN OTHERS THEN NULL; END; ALTER TABLE t ADD COLUMN f integer; END $$`}},
	{"create table like, as, select into", `CREATE TABLE t (a integer PRIMARY KEY CHECK (a > 0), b text DEFAULT 'x'); CREATE INDEX t_b ON t (b)`,
		[]string{`CREATE TABLE l (LIKE t INCLUDING ALL)`, `CREATE TABLE ctas AS SELECT * FROM t`, `SELECT * INTO si FROM t`,
			`CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WITH NO DATA`}},
	{"replica identity", `CREATE TABLE t (a integer NOT NULL); CREATE UNIQUE INDEX t_a ON t (a)`,
		[]string{`ALTER TABLE t REPLICA IDENTITY FULL`, `ALTER TABLE t REPLICA IDENTITY USING INDEX t_a`, `ALTER INDEX t_a RENAME TO t_aa`,
			`ALTER TABLE t REPLICA IDENTITY DEFAULT`}},
	{"reindex concurrently then drop index", `CREATE TABLE t (a integer); CREATE INDEX t_a ON t (a)`,
		[]string{`REINDEX INDEX CONCURRENTLY t_a`, `DROP INDEX t_a`}},
	{"reindex table concurrently then drop index", `CREATE TABLE t (a integer, b integer); CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b)`,
		[]string{`REINDEX TABLE CONCURRENTLY t`, `DROP INDEX t_b`}},
	{"comments", `CREATE TABLE t (a integer)`, []string{`COMMENT ON TABLE t IS 'x'; COMMENT ON COLUMN t.a IS 'y'`}},

	// What the relations' printers leave out without a filter of their
	// own: the meta statement passes on only the user's relations.
	{"temporary table", `CREATE TABLE t (a integer)`,
		[]string{`CREATE TEMPORARY TABLE tt (a integer PRIMARY KEY CHECK (a > 0))`, `ALTER TABLE tt ADD COLUMN b integer`,
			`CREATE INDEX ON tt (b)`, `CREATE TRIGGER tg BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`}},
	{"table moved to information_schema and back", `CREATE TABLE t (a integer PRIMARY KEY); CREATE INDEX t_a ON t (a)`,
		[]string{`ALTER TABLE t SET SCHEMA information_schema`, `ALTER TABLE information_schema.t ADD COLUMN b integer`,
			`ALTER TABLE information_schema.t SET SCHEMA public`}},
	{"table of an extension", `CREATE EXTENSION pg_trgm; CREATE TABLE t (a integer); CREATE SCHEMA es; CREATE TABLE es.x (a integer)`,
		[]string{`ALTER EXTENSION pg_trgm ADD TABLE t`, `ALTER TABLE t ADD COLUMN b integer`, `CREATE INDEX ON t (b)`,
			`ALTER EXTENSION pg_trgm ADD SCHEMA es`, `ALTER TABLE es.x ADD COLUMN b integer`, `CREATE TABLE es.y (a integer)`,
			`ALTER EXTENSION pg_trgm DROP TABLE t`, `ALTER TABLE t ADD COLUMN c integer`}},

	// Foreign tables, event triggers, extensions.
	{"foreign server renamed", `CREATE FOREIGN DATA WRAPPER w; CREATE SERVER sv FOREIGN DATA WRAPPER w; CREATE FOREIGN TABLE ft (a integer) SERVER sv`,
		[]string{`ALTER SERVER sv RENAME TO sv2`, `ALTER FOREIGN DATA WRAPPER w RENAME TO w2`, `ALTER FOREIGN TABLE ft OPTIONS (ADD x 'y')`,
			`ALTER SERVER sv2 OPTIONS (ADD host 'h')`}},
	{"event trigger function renamed", `CREATE FUNCTION et() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
		CREATE EVENT TRIGGER my_et ON ddl_command_start EXECUTE FUNCTION et()`,
		[]string{`ALTER FUNCTION et() RENAME TO et2`}},
	{"event trigger function moved", `CREATE SCHEMA s2; CREATE FUNCTION et() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
		CREATE EVENT TRIGGER my_et ON ddl_command_start EXECUTE FUNCTION et()`,
		[]string{`ALTER FUNCTION et() SET SCHEMA s2`}},
	{"user event trigger that runs DDL", `CREATE TABLE t (a integer);
		CREATE FUNCTION et() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE TABLE IF NOT EXISTS audit_made (x integer)'; ALTER TABLE t ADD COLUMN IF NOT EXISTS z integer; END $$;
		CREATE EVENT TRIGGER zz_et ON ddl_command_end WHEN TAG IN ('CREATE VIEW') EXECUTE FUNCTION et()`,
		[]string{`CREATE VIEW v AS SELECT 1 AS one`}},
	{"user sql_drop trigger that runs DDL", `CREATE TABLE t (a integer); CREATE TABLE gone (a integer);
		CREATE FUNCTION et() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t ADD COLUMN IF NOT EXISTS z integer; END $$;
		CREATE EVENT TRIGGER aa_et ON sql_drop EXECUTE FUNCTION et()`,
		[]string{`DROP TABLE gone`}},
}

func TestLoggedCases(t *testing.T) {
	t.Parallel()
	for _, c := range loggedCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conn := newDB(t, c.setup)
			l := newLogged(t, conn)
			sameLogged(t, conn, l, "after setup")
			for i, step := range c.steps {
				exec(t, conn, step)
				sameLogged(t, conn, l, stepName(i, step))
			}
			if st := l.Stats(); st.Lost != "" {
				t.Errorf("the log was lost: %s", st.Lost)
			}
		})
	}
}
