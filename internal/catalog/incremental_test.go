package catalog

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/schemagate/schemagate/bench/corpus"
)

// same fails the test unless the Snapshotter's snapshot and a fresh Take
// are the same objects with the same definitions.
func same(t *testing.T, conn *pgx.Conn, sn *Snapshotter, step string) *Snapshot {
	t.Helper()
	return sameAsTake(t, conn, sn, "Snapshotter", step)
}

// sameAsTake takes a snapshot with sn (a Snapshotter or a Logged, named
// what) and fails the test unless a fresh Take gives the same objects with
// the same definitions.
func sameAsTake(t *testing.T, conn *pgx.Conn, sn interface {
	Take(context.Context) (*Snapshot, error)
}, what, step string) *Snapshot {
	t.Helper()
	got, err := sn.Take(context.Background())
	if err != nil {
		t.Fatalf("%s: %s.Take: %v", step, what, err)
	}
	want := take(t, conn)
	if diff := cmp.Diff(want.Objects(), got.Objects()); diff != "" {
		t.Fatalf("%s: the %s snapshot differs from Take (-Take +%s):\n%s", step, what, what, diff)
	}
	return got
}

// replayCorpus applies the first n corpus migrations up, down and up
// again, calling check after each step with its name; it returns what the
// last check returned.
func replayCorpus(t *testing.T, conn *pgx.Conn, n int, check func(step string) *Snapshot) *Snapshot {
	t.Helper()
	last := check("empty database")
	for _, m := range corpusMigrations(t, n) {
		exec(t, conn, m.up)
		check(m.name + " up")
		exec(t, conn, m.down)
		check(m.name + " down")
		exec(t, conn, m.up)
		last = check(m.name + " up again")
	}
	return last
}

// tricky are schema changes one after the other, each a step after which
// the incremental snapshot must be Take's: renames of what other objects
// print, changes that leave an object's own rows alone, deletions that
// leave no new row, transactions rolled back...
var tricky = []string{
	// A table that everything refers to.
	`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
	CREATE SEQUENCE counter;
	CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
	CREATE TABLE users (
	  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	  email text NOT NULL,
	  score integer DEFAULT nextval('counter') CHECK (score >= 0),
	  doubled integer GENERATED ALWAYS AS (twice(score)) STORED,
	  feeling mood DEFAULT 'ok',
	  feelings mood[] DEFAULT '{sad,happy}',
	  note text
	);
	CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE feeling <> 'sad';
	CREATE INDEX users_score ON users (score) INCLUDE (note);
	CREATE TABLE posts (id serial PRIMARY KEY, user_id bigint REFERENCES users, body text,
	  CONSTRAINT body_short CHECK (length(body) < 1000) NOT VALID);
	CREATE VIEW happy AS SELECT id, email, score FROM users WHERE feeling = 'happy';
	CREATE VIEW happy_emails AS SELECT email FROM happy;`,
	// Rename a column that a view, an index, a CHECK, a generated column
	// and an FK from another table refer to.
	`ALTER TABLE users RENAME COLUMN score TO points`,
	`ALTER TABLE users RENAME COLUMN email TO mail`,
	`ALTER TABLE users RENAME COLUMN id TO user_id`,
	// Rename a table that an FK, a view and an index refer to.
	`ALTER TABLE users RENAME TO members`,
	// Rename the sequence a default calls, the function a generated column
	// calls, an index, a constraint.
	`ALTER SEQUENCE counter RENAME TO points_seq`,
	`ALTER FUNCTION twice(integer) RENAME TO double_it`,
	`ALTER INDEX users_score RENAME TO members_points`,
	`ALTER TABLE posts RENAME CONSTRAINT body_short TO body_shorter`,
	// The enum: a label renamed and added, then the type renamed.
	`ALTER TYPE mood RENAME VALUE 'happy' TO 'glad'`,
	`ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'`,
	`ALTER TYPE mood RENAME TO feeling`,
	// A function's body, the sequence's increment, owner.
	`CREATE OR REPLACE FUNCTION double_it(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + x'`,
	`ALTER SEQUENCE points_seq INCREMENT BY 5 CACHE 10`,
	`ALTER SEQUENCE points_seq OWNED BY members.points`,
	`ALTER SEQUENCE points_seq OWNED BY NONE`,
	// Columns: type, default, NOT NULL, statistics, storage.
	`ALTER TABLE members ALTER COLUMN note TYPE character varying(100)`,
	`ALTER TABLE members ALTER COLUMN note SET DEFAULT 'none'`,
	`ALTER TABLE members ALTER COLUMN note DROP DEFAULT`,
	`ALTER TABLE members ALTER COLUMN note SET NOT NULL`,
	`ALTER TABLE members ALTER COLUMN note DROP NOT NULL`,
	`ALTER TABLE members ALTER COLUMN note SET STATISTICS 500; ALTER TABLE members ALTER COLUMN note SET STORAGE EXTERNAL`,
	`ALTER TABLE posts ALTER COLUMN body TYPE character varying(2000)`,
	// Constraints.
	`ALTER TABLE posts VALIDATE CONSTRAINT body_shorter`,
	`ALTER TABLE posts ALTER CONSTRAINT posts_user_id_fkey DEFERRABLE INITIALLY DEFERRED`,
	`ALTER INDEX users_pkey SET (fillfactor = 70)`,
	// A rolled-back transaction that changed things, a savepoint rolled
	// back.
	`BEGIN; ALTER TABLE members RENAME COLUMN mail TO address; DROP VIEW happy_emails; ROLLBACK`,
	`BEGIN; CREATE TABLE kept (a integer); SAVEPOINT s; ALTER TABLE kept RENAME TO lost; ROLLBACK TO SAVEPOINT s; COMMIT`,
	// Drop and recreate identically: new OIDs.
	`DROP VIEW happy_emails; CREATE VIEW happy_emails AS SELECT email FROM happy`,
	`DROP INDEX members_points; CREATE INDEX members_points ON members (points) INCLUDE (note)`,
	`ALTER TABLE members DROP COLUMN note; ALTER TABLE members ADD COLUMN note character varying(100)`,
	// A view's column renamed; a view replaced with more columns.
	`ALTER VIEW happy RENAME COLUMN email TO address`,
	`CREATE OR REPLACE VIEW happy AS SELECT user_id AS id, mail AS address, points AS score, note FROM members WHERE feeling = 'glad'`,
	// Schemas: a table moved to another, a schema renamed.
	`CREATE SCHEMA app; ALTER TABLE posts SET SCHEMA app`,
	`ALTER SCHEMA app RENAME TO application`,
	`ALTER TYPE feeling SET SCHEMA application`,
	// A type used by a column and a function argument; a domain over it.
	`CREATE TYPE pair AS (a integer, b text);
	CREATE TABLE pairs (p pair, ps pair[]);
	CREATE FUNCTION first(pair) RETURNS integer LANGUAGE sql AS 'SELECT ($1).a';
	CREATE DOMAIN positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
	CREATE DOMAIN glad_feeling AS application.feeling DEFAULT 'glad' CHECK (VALUE <> 'sad');
	CREATE TABLE scores (s positive, f glad_feeling)`,
	`ALTER TYPE pair RENAME TO couple`,
	`ALTER TYPE couple RENAME ATTRIBUTE b TO label`,
	`ALTER TYPE couple ADD ATTRIBUTE c date`,
	`ALTER DOMAIN positive DROP CONSTRAINT positive_check`,
	`ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0) NOT VALID`,
	`ALTER DOMAIN positive SET DEFAULT 1`,
	`ALTER TYPE application.feeling RENAME VALUE 'glad' TO 'joyful'`,
	// Inheritance from a table with no columns: nothing new is left after
	// NO INHERIT.
	`CREATE TABLE base (); CREATE TABLE child (a integer) INHERITS (base)`,
	`ALTER TABLE child NO INHERIT base`,
	`ALTER TABLE child INHERIT base`,
	`ALTER TABLE base RENAME TO root`,
	// Partitions, with a bound that prints an enum label.
	`CREATE TABLE events (f application.feeling, at date) PARTITION BY LIST (f);
	CREATE TABLE events_sad PARTITION OF events FOR VALUES IN ('sad')`,
	`ALTER TYPE application.feeling RENAME VALUE 'sad' TO 'blue'`,
	`ALTER TABLE events DETACH PARTITION events_sad`,
	`ALTER TABLE events ATTACH PARTITION events_sad FOR VALUES IN ('blue')`,
	// Triggers, rules, policies, statistics.
	`CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
	CREATE TRIGGER members_stamp BEFORE UPDATE OF mail ON members FOR EACH ROW EXECUTE FUNCTION stamp();
	CREATE RULE members_no_delete AS ON DELETE TO members DO INSTEAD NOTHING;
	CREATE POLICY own ON members USING (points > 0);
	CREATE STATISTICS members_stats ON mail, points FROM members`,
	`ALTER FUNCTION stamp() RENAME TO touch`,
	`ALTER TABLE members RENAME COLUMN mail TO email`,
	`ALTER TABLE members RENAME TO people`,
	`ALTER TABLE people DISABLE TRIGGER members_stamp`,
	`ALTER TRIGGER members_stamp ON people RENAME TO people_stamp`,
	`ALTER POLICY own ON people USING (points > 1)`,
	// Functions with a body that refers to a table, returning a table's
	// row type.
	`CREATE FUNCTION count_people() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM people; END;
	CREATE FUNCTION any_person() RETURNS people LANGUAGE sql AS 'SELECT * FROM people LIMIT 1'`,
	`ALTER TABLE people RENAME TO persons`,
	// Collations.
	`CREATE COLLATION german (provider = icu, locale = 'de');
	ALTER TABLE persons ADD COLUMN name text COLLATE german`,
	`ALTER COLLATION german RENAME TO deutsch`,
	// Replica identity, materialized views.
	`ALTER TABLE persons REPLICA IDENTITY USING INDEX users_pkey`,
	`ALTER INDEX users_pkey RENAME TO persons_pkey`,
	`ALTER INDEX users_email RENAME TO persons_email`,
	`CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM persons; CREATE INDEX totals_n ON totals (n)`,
	`REFRESH MATERIALIZED VIEW totals; ANALYZE`,
	`VACUUM persons`,
	`VACUUM FULL persons`,
	`ALTER TABLE application.posts ALTER COLUMN id TYPE bigint`,
	`ALTER TABLE persons ALTER COLUMN doubled DROP EXPRESSION`,
	// An extension, and an object it lets go of (no new row: the
	// Snapshotter must notice) and takes back.
	`CREATE EXTENSION pg_trgm`,
	`ALTER EXTENSION pg_trgm DROP FUNCTION show_trgm(text)`,
	`ALTER EXTENSION pg_trgm ADD FUNCTION show_trgm(text)`,
	`CREATE INDEX persons_name_trgm ON persons USING gin (name gin_trgm_ops)`,
	// A temporary table (a new schema: pg_temp), comments, grants.
	`CREATE TEMPORARY TABLE scratch (a integer)`,
	`COMMENT ON TABLE persons IS 'people'; GRANT SELECT (email) ON persons TO PUBLIC`,
	// Range types, aggregates, shell types, composite types of composite
	// types.
	`CREATE TYPE floatrange AS RANGE (subtype = float8);
	CREATE TABLE ranges (r floatrange);
	CREATE FUNCTION sum_step(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
	CREATE AGGREGATE total(integer) (SFUNC = sum_step, STYPE = integer);
	CREATE TYPE shell_only;
	CREATE TYPE inner_t AS (x application.feeling); CREATE TYPE outer_t AS (i inner_t)`,
	`ALTER TYPE floatrange RENAME TO frange`,
	`ALTER FUNCTION sum_step(integer, integer) RENAME TO add_step`,
	`ALTER TYPE application.feeling RENAME VALUE 'joyful' TO 'glad'`,
	`ALTER TYPE inner_t RENAME ATTRIBUTE x TO y`,
	`ALTER TYPE inner_t RENAME TO inner_type`,
	// Drops.
	`DROP TABLE events`,
	`DROP SCHEMA application CASCADE`,
	`DROP TABLE persons CASCADE`,
	`DROP EXTENSION pg_trgm`,
}

func TestSnapshotterTrickySteps(t *testing.T) {
	t.Parallel()
	conn := newDB(t)
	sn := NewSnapshotter(conn)
	same(t, conn, sn, "empty database")
	steps := tricky
	if serverMajor(conn.PgConn()) >= 14 {
		// A range prints its multirange type's name.
		steps = append(steps[:len(steps):len(steps)], `ALTER TYPE floatmultirange RENAME TO franges`)
	}
	for i, step := range steps {
		exec(t, conn, step)
		before := sn.Stats()
		same(t, conn, sn, stepName(i, step))
		after := sn.Stats()
		t.Logf("%s: printed %d, full %v, fallback %v", stepName(i, step), after.Printed-before.Printed,
			after.Full > before.Full, after.Fallbacks > before.Fallbacks)
	}
	st := sn.Stats()
	t.Logf("%+v", st)
	if st.Fallbacks > 1 {
		t.Errorf("%d fallbacks to a full snapshot, want at most 1 (an extension's object let go)", st.Fallbacks)
	}
	if st.Reused < 2*st.Printed {
		t.Errorf("printed %d objects and reused %d: not incremental enough", st.Printed, st.Reused)
	}
}

func stepName(i int, step string) string {
	step = strings.Join(strings.Fields(step), " ")
	if len(step) > 80 {
		step = step[:80] + "…"
	}
	return "step " + strconv.Itoa(i) + " (" + step + ")"
}

// An object that an extension lets go of appears in the snapshot with no
// new row: the Snapshotter notices, and reads a full snapshot. (Not in
// parallel: a transaction of another test would keep the previous
// snapshot's horizon back, and the object's rows would still count as
// new.)
func TestSnapshotterExtensionRelease(t *testing.T) {
	conn := newDB(t, "CREATE EXTENSION pg_trgm")
	sn := NewSnapshotter(conn)
	same(t, conn, sn, "extension created")
	same(t, conn, sn, "again")
	exec(t, conn, "ALTER EXTENSION pg_trgm DROP FUNCTION show_trgm(text)")
	s := same(t, conn, sn, "a function let go")
	if _, ok := s.Objects()["function public.show_trgm(text)"]; !ok {
		t.Errorf("the function the extension let go of is not in the snapshot")
	}
	exec(t, conn, "ALTER EXTENSION pg_trgm ADD FUNCTION show_trgm(text)")
	same(t, conn, sn, "taken back")
	if st := sn.Stats(); st.Fallbacks != 1 {
		t.Errorf("%d fallbacks, want 1: %+v", st.Fallbacks, st)
	}
}

// TestSnapshotterCorpus replays the benchmark corpus as a replay does: each
// migration up, down and up again, with a snapshot after each, every one
// the same as Take's.
func TestSnapshotterCorpus(t *testing.T) {
	t.Parallel()
	conn := newDB(t)
	sn := NewSnapshotter(conn)
	replayCorpus(t, conn, 150, func(step string) *Snapshot { return same(t, conn, sn, step) })
	st := sn.Stats()
	t.Logf("%+v", st)
	if st.Fallbacks != 0 || st.Full != 1 {
		t.Errorf("%d full snapshots, %d fallbacks; want 1 and 0", st.Full, st.Fallbacks)
	}
	if st.Printed*20 > st.Reused {
		t.Errorf("printed %d objects and reused %d: not incremental enough", st.Printed, st.Reused)
	}
}

// corpusMigration is a migration of the benchmark corpus.
type corpusMigration struct{ name, up, down string }

// corpusMigrations writes the first n migrations of the benchmark corpus
// and reads them back, in order.
func corpusMigrations(t testing.TB, n int) []corpusMigration {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, n); err != nil {
		t.Fatal(err)
	}
	ups, err := filepath.Glob(filepath.Join(dir, "*.up.sql"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(ups)
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var ms []corpusMigration
	for _, up := range ups {
		base := strings.TrimSuffix(up, ".up.sql")
		ms = append(ms, corpusMigration{filepath.Base(base), read(up), read(base + ".down.sql")})
	}
	return ms
}

// The Snapshotter's snapshot is one round trip, also after DEALLOCATE ALL
// (two then, once) and in a transaction block (Take).
func TestSnapshotterRoundTrips(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE TABLE t (id integer PRIMARY KEY, v text)")
	var rt roundTrips
	conn.PgConn().Frontend().Trace(&rt, pgproto3.TracerOptions{SuppressTimestamps: true})
	defer conn.PgConn().Frontend().Untrace()
	sn := NewSnapshotter(conn)
	check := func(what string, want int) {
		t.Helper()
		rt.reset()
		same(t, conn, sn, what)
		rt.reset() // same's Take
		rt.reset()
		s, err := sn.Take(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Objects()["table public.t"]; !ok {
			t.Errorf("%s: table public.t not in the snapshot", what)
		}
		if sent, completed := rt.reset(); sent != want || completed != want {
			t.Errorf("%s: %d requests, %d round trips; want %d", what, sent, completed, want)
		}
	}
	check("first snapshots", 1)
	exec(t, conn, "ALTER TABLE t ADD COLUMN w integer")
	check("after a change", 1)
	exec(t, conn, "DEALLOCATE ALL")
	rt.reset()
	if _, err := sn.Take(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, completed := rt.reset(); completed != 2 {
		t.Errorf("after DEALLOCATE ALL: %d round trips, want 2", completed)
	}
	check("after DEALLOCATE ALL and a snapshot", 1)
	exec(t, conn, "BEGIN; ALTER TABLE t ADD COLUMN x integer")
	check("in a transaction block", 1)
	exec(t, conn, "ALTER TABLE t RENAME COLUMN x TO y")
	check("in a transaction block, after a change", 1)
	exec(t, conn, "COMMIT")
	check("after the transaction", 1)
	if st := sn.Stats(); st.InTransaction == 0 {
		t.Errorf("no snapshot went to Take in the transaction block: %+v", st)
	}
}
