package catalog

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/schemagate/schemagate/testdb/testdbtest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// shared is the PostgreSQL server of the package's tests.
var shared testdbtest.Shared

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(shared.Run(m))
}

// newDB creates a fresh database, runs each of sqls in it and returns a
// connection to it.
func newDB(t testing.TB, sqls ...string) *pgx.Conn {
	t.Helper()
	conn := shared.Connect(t)
	for _, sql := range sqls {
		exec(t, conn, sql)
	}
	return conn
}

// exec runs sql, which may hold several statements.
func exec(t testing.TB, conn *pgx.Conn, sql string) {
	t.Helper()
	if sql == "" {
		return
	}
	if err := conn.PgConn().Exec(context.Background(), sql).Close(); err != nil {
		t.Fatalf("%s\n%v", sql, err)
	}
}

func take(t testing.TB, conn *pgx.Conn) *Snapshot {
	t.Helper()
	s, err := Take(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// render prints a snapshot one object per entry: its key, then its
// definition indented.
func render(s *Snapshot) string {
	var b strings.Builder
	for _, o := range s.Sorted() {
		fmt.Fprintf(&b, "%s\n", o.Key())
		for _, line := range strings.Split(o.Def, "\n") {
			fmt.Fprintf(&b, "\t%s\n", line)
		}
	}
	return b.String()
}

func changeStrings(cs []Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestEmptyDatabase(t *testing.T) {
	t.Parallel()
	s := take(t, newDB(t))
	got := render(s)
	// What CREATE DATABASE ... TEMPLATE template0 gives: the schema public
	// and the extension plpgsql; nothing from the system catalogs.
	want := "schema public\n\tCREATE SCHEMA public\n" +
		"extension plpgsql\n\tCREATE EXTENSION plpgsql SCHEMA pg_catalog VERSION '1.0'\n"
	if got != want {
		t.Errorf("snapshot of an empty database:\n%s\nwant:\n%s", got, want)
	}
	if cs := Diff(s, take(t, newDB(t))); len(cs) != 0 {
		t.Errorf("two empty databases differ: %v", cs)
	}
}

func TestFullSnapshot(t *testing.T) {
	t.Parallel()
	sql, err := os.ReadFile(filepath.Join("testdata", "full.sql"))
	if err != nil {
		t.Fatal(err)
	}
	conn := newDB(t, string(sql))
	s := take(t, conn)
	golden(t, filepath.Join("testdata", "full.golden"), render(s))

	// The same schema in another database is the same snapshot: no OIDs
	// or other per-database values in the definitions.
	if cs := Diff(s, take(t, newDB(t, string(sql)))); len(cs) != 0 {
		t.Errorf("the same schema in two databases differs:\n%s", strings.Join(changeStrings(cs), "\n"))
	}
	// A second snapshot (the prepared statement) is the first one.
	if cs := Diff(s, take(t, conn)); len(cs) != 0 {
		t.Errorf("a second snapshot differs:\n%s", strings.Join(changeStrings(cs), "\n"))
	}
}

// Session settings that change how definitions are printed must not change
// a snapshot, and Take must leave them as they were.
func TestSessionSettings(t *testing.T) {
	t.Parallel()
	sql, err := os.ReadFile(filepath.Join("testdata", "full.sql"))
	if err != nil {
		t.Fatal(err)
	}
	conn := newDB(t, string(sql))
	want := take(t, conn)
	const set = `SET search_path = app, public; SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY';
		SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3; SET quote_all_identifiers = on`
	exec(t, conn, set)
	show := func() string {
		var b strings.Builder
		for _, name := range []string{"search_path", "TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits", "quote_all_identifiers", "jit"} {
			var v string
			if err := conn.QueryRow(context.Background(), "SELECT current_setting($1)", name).Scan(&v); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s=%s\n", name, v)
		}
		return b.String()
	}
	before := show()
	for _, inTx := range []bool{false, true} {
		if inTx {
			exec(t, conn, "BEGIN")
		}
		got := take(t, conn)
		if cs := Diff(want, got); len(cs) != 0 {
			t.Errorf("inTx=%v: session settings changed the snapshot:\n%s", inTx, strings.Join(changeStrings(cs), "\n"))
		}
		if after := show(); after != before {
			t.Errorf("inTx=%v: Take changed the session's settings:\n%s\nwant:\n%s", inTx, after, before)
		}
		if inTx {
			exec(t, conn, "COMMIT")
		}
	}
}

// TestIndexDefMatchesServer holds the index definitions the snapshot query
// puts together to what pg_get_indexdef prints.
func TestIndexDefMatchesServer(t *testing.T) {
	t.Parallel()
	conn := newDB(t, `
CREATE EXTENSION pg_trgm;
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN short AS text CHECK (length(VALUE) < 10);
CREATE TABLE t (
  a integer, b text, c text COLLATE "C", d character varying(20), e jsonb, f tsvector, g box,
  h mood, i integer[], j short, k date, l inet
);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_a_int4_ops ON t (a int4_ops);
CREATE UNIQUE INDEX t_ab ON t (a, b);
CREATE INDEX t_desc ON t (a DESC, b NULLS FIRST, c DESC NULLS LAST, d ASC NULLS LAST);
CREATE INDEX t_coll ON t (b COLLATE "C", c COLLATE "default", c COLLATE "POSIX");
CREATE INDEX t_ops ON t (b text_pattern_ops, d varchar_pattern_ops, d text_ops, c text_pattern_ops DESC);
CREATE INDEX t_incl ON t (a) INCLUDE (b, c);
CREATE INDEX t_part ON t (a) WHERE b IS NOT NULL AND a > 10;
CREATE INDEX t_with ON t (a) WITH (fillfactor = 70, deduplicate_items = off);
CREATE UNIQUE INDEX t_nnd ON t (a, b) NULLS NOT DISTINCT;
CREATE INDEX t_hash ON t USING hash (b);
CREATE INDEX t_gin ON t USING gin (e jsonb_path_ops);
CREATE INDEX t_gin_default ON t USING gin (e, i);
CREATE INDEX t_trgm ON t USING gin (b gin_trgm_ops);
CREATE INDEX t_gist ON t USING gist (f tsvector_ops (siglen = 100));
CREATE INDEX t_gist_box ON t USING gist (g);
CREATE INDEX t_brin ON t USING brin (k) WITH (pages_per_range = 16);
CREATE INDEX t_spgist ON t USING spgist (l);
CREATE INDEX t_enum ON t (h, j);
CREATE INDEX t_expr ON t (lower(b), a, (a + 1) DESC, (b || 'x') COLLATE "C");
CREATE INDEX t_expr_c ON t (lower(c));
CREATE INDEX t_all ON t (c COLLATE "POSIX" text_pattern_ops DESC, a) INCLUDE (k) WITH (fillfactor = 90) WHERE (h = 'a');
CREATE TABLE "Mixed Case" ("Select" integer, "with space" text) PARTITION BY LIST ("Select");
CREATE TABLE "Mixed Case 1" PARTITION OF "Mixed Case" FOR VALUES IN (1);
CREATE INDEX "Weird Index" ON "Mixed Case" ("with space", "Select");
CREATE SCHEMA other;
CREATE TABLE other.t (a integer);
CREATE INDEX t_a ON other.t (a);
`)
	s := take(t, conn)
	exec(t, conn, "SET search_path = pg_catalog")
	rows, err := conn.Query(context.Background(), `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('i', 'I') AND n.nspname IN ('public', 'other')`)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var v [2]string
		err := r.Scan(&v[0], &v[1])
		return v, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 25 {
		t.Fatalf("%d indexes, want 25", len(want))
	}
	// The known difference: the COLLATE of an expression column is left
	// out when it is the default, not when it is the expression's own.
	known := map[string]string{
		"public.t_expr_c": `CREATE INDEX t_expr_c ON public.t USING btree (lower(c) COLLATE "C")`,
	}
	for _, w := range want {
		if def, ok := known[w[0]]; ok {
			w[1] = def
		}
		got, ok := s.Objects()["index "+w[0]]
		if !ok {
			t.Errorf("index %s missing from the snapshot", w[0])
			continue
		}
		if got.Def != w[1] {
			t.Errorf("index %s:\n got %s\nwant %s", w[0], got.Def, w[1])
		}
	}
}

// TestChanges makes, for each kind of object, two databases that differ by
// one change, and checks what Diff says.
func TestChanges(t *testing.T) {
	t.Parallel()
	const users = `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, nickname character varying(30));`
	tests := []struct {
		name          string
		setup, change string
		want          []string
	}{
		// schema
		{"schema new", "", "CREATE SCHEMA app", []string{
			"schema app: new (not there before)"}},
		{"schema missing", "CREATE SCHEMA app", "DROP SCHEMA app", []string{
			"schema app: missing after (was CREATE SCHEMA app)"}},
		// extension
		{"extension new", "", "CREATE EXTENSION hstore", []string{
			"extension hstore: new (not there before)"}},
		{"extension version", "CREATE EXTENSION hstore VERSION '1.7'", "ALTER EXTENSION hstore UPDATE TO '1.8'", []string{
			"extension hstore: before CREATE EXTENSION hstore SCHEMA public VERSION '1.7', after CREATE EXTENSION hstore SCHEMA public VERSION '1.8'"}},
		// table
		{"table new", users, "CREATE TABLE audit (id bigint)", []string{
			"table public.audit: new (not there before)",
			"column public.audit.id: new (not there before)"}},
		{"table unlogged", users, "ALTER TABLE users SET UNLOGGED", []string{
			"sequence public.users_id_seq: before CREATE SEQUENCE public.users_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE OWNED BY public.users.id, " +
				"after CREATE UNLOGGED SEQUENCE public.users_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE OWNED BY public.users.id",
			"table public.users: before CREATE TABLE public.users, after CREATE UNLOGGED TABLE public.users"}},
		{"table row level security", users, "ALTER TABLE users ENABLE ROW LEVEL SECURITY", []string{
			"table public.users: before CREATE TABLE public.users, after CREATE TABLE public.users ENABLE ROW LEVEL SECURITY"}},
		{"table options", users, "ALTER TABLE users SET (fillfactor = 50)", []string{
			"table public.users: before CREATE TABLE public.users, after CREATE TABLE public.users WITH (fillfactor=50)"}},
		{"table inherits", users + "CREATE TABLE base (x integer); CREATE TABLE child (x integer);", "ALTER TABLE child INHERIT base", []string{
			"table public.child: before CREATE TABLE public.child, after CREATE TABLE public.child INHERITS (public.base)"}},
		{"table partition detached", `CREATE TABLE m (at date) PARTITION BY RANGE (at);
			CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
			"ALTER TABLE m DETACH PARTITION m_2024", []string{
				"table public.m_2024: before CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'), after CREATE TABLE public.m_2024"}},
		{"table missing", users, "DROP TABLE users", []string{
			"sequence public.users_id_seq: missing after (was CREATE SEQUENCE public.users_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE OWNED BY public.users.id)",
			"table public.users: missing after (was CREATE TABLE public.users)",
			"column public.users.email: missing after (was text NOT NULL)",
			"column public.users.id: missing after (was integer NOT NULL DEFAULT nextval('public.users_id_seq'::regclass))",
			"column public.users.nickname: missing after (was character varying(30))",
			"constraint public.users.users_pkey: missing after (was PRIMARY KEY (id))",
			"index public.users_pkey: missing after (was CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id))"}},
		// column
		{"column type", users, "ALTER TABLE users ALTER nickname TYPE character varying(50)", []string{
			"column public.users.nickname: before character varying(30), after character varying(50)"}},
		{"column new", users, "ALTER TABLE users ADD COLUMN bio text", []string{
			"column public.users.bio: new (not there before)"}},
		{"column missing", users, "ALTER TABLE users DROP COLUMN nickname", []string{
			"column public.users.nickname: missing after (was character varying(30))"}},
		{"column not null", users, "ALTER TABLE users ALTER nickname SET NOT NULL", []string{
			"column public.users.nickname: before character varying(30), after character varying(30) NOT NULL"}},
		{"column default", users, "ALTER TABLE users ALTER nickname SET DEFAULT 'x'", []string{
			"column public.users.nickname: before character varying(30), after character varying(30) DEFAULT 'x'::character varying"}},
		{"column collation", users, `ALTER TABLE users ALTER email TYPE text COLLATE "C"`, []string{
			`column public.users.email: before text NOT NULL, after text COLLATE "C" NOT NULL`}},
		{"column identity", "CREATE TABLE t (id integer NOT NULL)", "ALTER TABLE t ALTER id ADD GENERATED BY DEFAULT AS IDENTITY", []string{
			"sequence public.t_id_seq: new (not there before)",
			"column public.t.id: before integer NOT NULL, after integer NOT NULL GENERATED BY DEFAULT AS IDENTITY"}},
		{"column generated", "CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED)",
			"ALTER TABLE t DROP b; ALTER TABLE t ADD b integer GENERATED ALWAYS AS (a * 3) STORED", []string{
				"column public.t.b: before integer GENERATED ALWAYS AS ((a * 2)) STORED, after integer GENERATED ALWAYS AS ((a * 3)) STORED"}},
		{"column storage", users, "ALTER TABLE users ALTER email SET STORAGE EXTERNAL", []string{
			"column public.users.email: before text NOT NULL, after text NOT NULL STORAGE EXTERNAL"}},
		// constraint
		{"constraint validated", users + "ALTER TABLE users ADD CONSTRAINT email_check CHECK (email <> '') NOT VALID",
			"ALTER TABLE users VALIDATE CONSTRAINT email_check", []string{
				"constraint public.users.email_check: before CHECK ((email <> ''::text)) NOT VALID, after CHECK ((email <> ''::text))"}},
		{"constraint deferrable", users + "CREATE TABLE posts (user_id integer REFERENCES users)",
			"ALTER TABLE posts ALTER CONSTRAINT posts_user_id_fkey DEFERRABLE INITIALLY DEFERRED", []string{
				"constraint public.posts.posts_user_id_fkey: before FOREIGN KEY (user_id) REFERENCES public.users(id), after FOREIGN KEY (user_id) REFERENCES public.users(id) DEFERRABLE INITIALLY DEFERRED"}},
		{"constraint new", users, "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", []string{
			"constraint public.users.users_email_key: new (not there before)",
			"index public.users_email_key: new (not there before)"}},
		// index
		{"index missing", users + "CREATE INDEX ix_users_email ON users (email)", "DROP INDEX ix_users_email", []string{
			"index public.ix_users_email: missing after (was CREATE INDEX ix_users_email ON public.users USING btree (email))"}},
		{"index changed", users + "CREATE INDEX ix_users_email ON users (email)",
			"DROP INDEX ix_users_email; CREATE INDEX ix_users_email ON users (email, nickname)", []string{
				"index public.ix_users_email: before CREATE INDEX ix_users_email ON public.users USING btree (email), after CREATE INDEX ix_users_email ON public.users USING btree (email, nickname)"}},
		// sequence
		{"sequence", "CREATE SEQUENCE s", "ALTER SEQUENCE s INCREMENT BY 10 CACHE 5", []string{
			"sequence public.s: before CREATE SEQUENCE public.s AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE, after CREATE SEQUENCE public.s AS bigint INCREMENT BY 10 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 5 NO CYCLE"}},
		{"sequence value is data", "CREATE SEQUENCE s", "SELECT nextval('s'), setval('s', 100)", []string{}},
		// types
		{"enum label", "CREATE TYPE mood AS ENUM ('sad', 'happy')", "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'", []string{
			"enum public.mood: before CREATE TYPE public.mood AS ENUM ('sad', 'happy'), after CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy')"}},
		{"domain constraint", "CREATE DOMAIN positive AS integer", "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0)", []string{
			"domain public.positive: before CREATE DOMAIN public.positive AS integer, after CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK ((VALUE > 0))"}},
		{"composite type", "CREATE TYPE pair AS (a integer)", "ALTER TYPE pair ADD ATTRIBUTE b text", []string{
			"type public.pair: before CREATE TYPE public.pair AS (a integer), after CREATE TYPE public.pair AS (a integer, b text)"}},
		// view
		{"view", users + "CREATE VIEW v AS SELECT id FROM users",
			"CREATE OR REPLACE VIEW v AS SELECT id, email FROM users", []string{
				"view public.v: before CREATE VIEW public.v AS SELECT users.id FROM public.users;, after CREATE VIEW public.v AS SELECT users.id, users.email FROM public.users;"}},
		{"materialized view", users, "CREATE MATERIALIZED VIEW mv AS SELECT count(*) FROM users", []string{
			"materialized view public.mv: new (not there before)"}},
		// routines
		{"function body", "CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1'",
			"CREATE OR REPLACE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 2'", []string{
				"function public.f(integer): before CREATE OR REPLACE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $function$SELECT x + 1$function$, after CREATE OR REPLACE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $function$SELECT x + 2$function$"}},
		{"function volatility", "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
			"ALTER FUNCTION f() IMMUTABLE", []string{
				"function public.f(): before CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $function$SELECT 1$function$, after CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE sql IMMUTABLE AS $function$SELECT 1$function$"}},
		{"function overload", "CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x'",
			"CREATE FUNCTION f(x text) RETURNS text LANGUAGE sql AS 'SELECT x'", []string{
				"function public.f(text): new (not there before)"}},
		{"procedure", "", "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", []string{
			"procedure public.p(): new (not there before)"}},
		{"aggregate", "", "CREATE AGGREGATE sum2(integer) (SFUNC = int4pl, STYPE = integer)", []string{
			"aggregate public.sum2(integer): new (not there before)"}},
		// trigger, rule, policy
		{"trigger disabled", users + `CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
			CREATE TRIGGER users_stamp BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION stamp()`,
			"ALTER TABLE users DISABLE TRIGGER users_stamp", []string{
				"trigger public.users.users_stamp: before CREATE TRIGGER users_stamp BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.stamp(), after CREATE TRIGGER users_stamp BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.stamp() DISABLED"}},
		{"foreign key triggers are internal", users + "CREATE TABLE posts (user_id integer)",
			"ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users", []string{
				"constraint public.posts.posts_user_id_fkey: new (not there before)"}},
		{"rule", users, "CREATE RULE users_no_delete AS ON DELETE TO users DO INSTEAD NOTHING", []string{
			"rule public.users.users_no_delete: new (not there before)"}},
		{"policy", users + "CREATE POLICY own ON users USING (id = 1)", "ALTER POLICY own ON users USING (id = 2)", []string{
			"policy public.users.own: before CREATE POLICY own ON public.users AS PERMISSIVE FOR ALL TO PUBLIC USING ((id = 1)), after CREATE POLICY own ON public.users AS PERMISSIVE FOR ALL TO PUBLIC USING ((id = 2))"}},
		// others
		{"statistics", users, "CREATE STATISTICS users_stats ON id, email FROM users", []string{
			"statistics public.users_stats: new (not there before)"}},
		{"collation", "", "CREATE COLLATION german (provider = icu, locale = 'de')", []string{
			"collation public.german: new (not there before)"}},
		{"comments are not schema", users, "COMMENT ON TABLE users IS 'people'; COMMENT ON COLUMN users.email IS 'mail'", []string{}},
		{"extension objects are the extension's", "", "CREATE EXTENSION citext", []string{
			"extension citext: new (not there before)"}},
		{"column order", "CREATE TABLE t (a integer, b text)", "ALTER TABLE t DROP a; ALTER TABLE t ADD a integer", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := take(t, newDB(t, tt.setup))
			b := take(t, newDB(t, tt.setup, tt.change))
			got := changeStrings(Diff(a, b))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Diff after %q (-want +got):\n%s", tt.change, diff)
			}
		})
	}
}

func TestChangeString(t *testing.T) {
	long := func(middle string) string {
		return "CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n" +
			strings.Repeat("  PERFORM 1;\n", 20) + "  RETURN " + middle + ";\n" + strings.Repeat("  PERFORM 2;\n", 20) + "END\n$function$"
	}
	tests := []struct {
		c    Change
		want string
	}{
		{Change{Kind: "table", Name: "public.audit", After: "CREATE TABLE public.audit"},
			"table public.audit: new (not there before)"},
		{Change{Kind: "index", Name: "public.ix", Before: "CREATE INDEX ix ON public.t USING btree (a)"},
			"index public.ix: missing after (was CREATE INDEX ix ON public.t USING btree (a))"},
		{Change{Kind: "column", Name: "public.users.nickname", Before: "character varying(30)", After: "character varying(50)"},
			"column public.users.nickname: before character varying(30), after character varying(50)"},
		{Change{Kind: "view", Name: "public.v", Before: "CREATE VIEW public.v AS SELECT 1\n  FROM t;", After: "CREATE VIEW public.v AS SELECT 2\n  FROM t;"},
			"view public.v: before CREATE VIEW public.v AS SELECT 1 FROM t;, after CREATE VIEW public.v AS SELECT 2 FROM t;"},
		// Only white space differs: shown quoted.
		{Change{Kind: "function", Name: "public.g()", Before: "AS $$a  b$$", After: "AS $$a b$$"},
			`function public.g(): before "AS $$a  b$$", after "AS $$a b$$"`},
		// Long definitions: the part around the difference.
		{Change{Kind: "function", Name: "public.f()", Before: long("41"), After: long("42")},
			"function public.f(): before …1; PERFORM 1; PERFORM 1; RETURN 41; PERFORM 2; PERFORM 2; PERFORM 2;…, " +
				"after …1; PERFORM 1; PERFORM 1; RETURN 42; PERFORM 2; PERFORM 2; PERFORM 2;…"},
		{Change{Kind: "function", Name: "public.f()", Before: long("4")},
			"function public.f(): missing after (was CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE plpgsql AS $function$ BEGIN PERFORM 1; " +
				"PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1; PERFORM 1;…)"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
		}
	}
}

func TestDiffOrder(t *testing.T) {
	a := NewSnapshot(map[string]Object{})
	b := NewSnapshot(map[string]Object{})
	for _, o := range []Object{
		{"index", "public.b", "x"}, {"column", "public.t.z", "x"}, {"table", "public.t", "x"},
		{"schema", "app", "x"}, {"column", "public.t.a", "x"}, {"widget", "w", "x"},
	} {
		b.objects[o.Key()] = o
	}
	got := []string{}
	for _, c := range Diff(a, b) {
		got = append(got, c.Kind+" "+c.Name)
	}
	want := []string{"schema app", "table public.t", "column public.t.a", "column public.t.z", "index public.b", "widget w"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff order (-want +got):\n%s", diff)
	}
	if cs := Diff(nil, nil); len(cs) != 0 {
		t.Errorf("Diff(nil, nil) = %v", cs)
	}
	if cs := Diff(nil, b); len(cs) != len(b.Objects()) {
		t.Errorf("Diff(nil, b) has %d changes, want %d", len(cs), len(b.Objects()))
	}
}

// The same schema, with the columns of every table created in another
// order (or added later), is the same snapshot.
func TestColumnOrder(t *testing.T) {
	t.Parallel()
	a := take(t, newDB(t, `
CREATE TABLE orgs (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE users (
  id serial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs,
  email character varying(200) NOT NULL DEFAULT '',
  score integer CHECK (score > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, email)
);
CREATE INDEX users_created ON users (created_at DESC) INCLUDE (email) WHERE score > 10;
CREATE VIEW named AS SELECT u.email, o.name FROM users u JOIN orgs o ON o.id = u.org_id;`))
	b := take(t, newDB(t, `
CREATE TABLE orgs (name text NOT NULL UNIQUE, id bigint PRIMARY KEY);
CREATE TABLE users (
  created_at timestamptz NOT NULL DEFAULT now(),
  dropped integer,
  email character varying(200) NOT NULL DEFAULT '',
  UNIQUE (org_id, email),
  org_id bigint NOT NULL REFERENCES orgs,
  id serial PRIMARY KEY
);
ALTER TABLE users DROP COLUMN dropped;
ALTER TABLE users ADD COLUMN score integer CHECK (score > 0);
CREATE INDEX users_created ON users (created_at DESC) INCLUDE (email) WHERE score > 10;
CREATE VIEW named AS SELECT u.email, o.name FROM users u JOIN orgs o ON o.id = u.org_id;`))
	if len(a.Objects()) < 20 {
		t.Fatalf("only %d objects:\n%s", len(a.Objects()), render(a))
	}
	if cs := Diff(a, b); len(cs) != 0 {
		t.Errorf("column order made a difference:\n%s", strings.Join(changeStrings(cs), "\n"))
	}
}

// roundTrips counts the round trips a connection makes: the ReadyForQuery
// messages the server sends, one at the end of each, and the exchanges
// (each time the client sends after it received), one per round trip
// however many syncs it sends at once.
type roundTrips struct {
	mu                         sync.Mutex
	sent, completed, exchanges int
	received                   bool
	buf                        []byte
}

func (r *roundTrips) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf = append(r.buf, p...)
	for {
		i := strings.IndexByte(string(r.buf), '\n')
		if i < 0 {
			break
		}
		line := string(r.buf[:i])
		r.buf = r.buf[i+1:]
		if strings.HasPrefix(line, "F\t") && (r.received || r.exchanges == 0) {
			r.exchanges++
			r.received = false
		}
		switch {
		case strings.HasPrefix(line, "F\tQuery\t"), strings.HasPrefix(line, "F\tSync\t"):
			r.sent++
		case strings.HasPrefix(line, "B\t"):
			r.received = true
			if strings.HasPrefix(line, "B\tReadyForQuery\t") {
				r.completed++
			}
		}
	}
	return len(p), nil
}

func (r *roundTrips) reset() (sent, completed int) {
	sent, completed, _ = r.resetAll()
	return sent, completed
}

func (r *roundTrips) resetAll() (sent, completed, exchanges int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sent, completed, exchanges = r.sent, r.completed, r.exchanges
	r.sent, r.completed, r.exchanges, r.received = 0, 0, 0, false
	return sent, completed, exchanges
}

func TestOneRoundTrip(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE TABLE t (id integer PRIMARY KEY, v text)")
	var rt roundTrips
	conn.PgConn().Frontend().Trace(&rt, pgproto3.TracerOptions{SuppressTimestamps: true})
	defer conn.PgConn().Frontend().Untrace()

	check := func(what string) {
		t.Helper()
		rt.reset()
		s := take(t, conn)
		if _, ok := s.Objects()["table public.t"]; !ok {
			t.Errorf("%s: table public.t not in the snapshot", what)
		}
		if sent, completed := rt.reset(); sent != 1 || completed != 1 {
			t.Errorf("%s: %d requests, %d round trips; want 1 and 1", what, sent, completed)
		}
	}
	check("first snapshot (prepares)")
	check("second snapshot (executes)")
	exec(t, conn, "BEGIN")
	check("in a transaction block")
	exec(t, conn, "COMMIT")

	// Statements deallocated behind Take's back cost a second round trip,
	// once.
	for _, reset := range []string{"DEALLOCATE ALL", "DISCARD ALL"} {
		exec(t, conn, reset)
		rt.reset()
		take(t, conn)
		if _, completed := rt.reset(); completed != 2 {
			t.Errorf("after %s: %d round trips, want 2", reset, completed)
		}
		check("after " + reset + " and one snapshot")
	}
	// Prepared behind its back: the same.
	conn = newDB(t, "CREATE TABLE t (id integer PRIMARY KEY, v text)")
	major := serverMajor(conn.PgConn())
	q := queryFor(major)
	name, _ := q.names(0)
	exec(t, conn, "PREPARE "+name+" AS "+q.objects)
	conn.PgConn().Frontend().Trace(&rt, pgproto3.TracerOptions{SuppressTimestamps: true})
	rt.reset()
	take(t, conn)
	if _, completed := rt.reset(); completed != 2 {
		t.Errorf("statement already prepared: %d round trips, want 2", completed)
	}
	check("statement already prepared, second snapshot")
}

// In a transaction block Take sees the transaction's own changes, and a
// snapshot that fails leaves the transaction usable.
func TestInTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := newDB(t, "CREATE TABLE locked (id integer); CREATE VIEW v AS SELECT id FROM locked")
	exec(t, conn, "BEGIN; CREATE TABLE t (id integer)")
	s := take(t, conn)
	if _, ok := s.Objects()["table public.t"]; !ok {
		t.Errorf("the snapshot does not see the transaction's own table:\n%s", render(s))
	}

	// Printing a view locks the tables it reads: make that fail.
	other, err := pgx.Connect(ctx, conn.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	exec(t, other, "BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE")
	exec(t, conn, "SET LOCAL lock_timeout = '50ms'")
	var pgErr *pgconn.PgError
	if _, err := Take(ctx, conn); !errors.As(err, &pgErr) || pgErr.Code != "55P03" {
		t.Errorf("Take with the view's table locked: %v, want a lock timeout (55P03)", err)
	}
	if tx := conn.PgConn().TxStatus(); tx != 'T' {
		t.Fatalf("after a failed snapshot the transaction status is %q, want T", tx)
	}
	exec(t, other, "ROLLBACK")
	exec(t, conn, "CREATE TABLE u (id integer); COMMIT")
	s = take(t, conn)
	for _, want := range []string{"table public.t", "table public.u"} {
		if _, ok := s.Objects()[want]; !ok {
			t.Errorf("%s missing: the transaction did not commit:\n%s", want, render(s))
		}
	}
}
