package catalog

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

func newLogged(t *testing.T, conn *pgx.Conn) *Logged {
	t.Helper()
	l, err := NewLogged(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// sameLogged fails the test unless the Logged's snapshot and a fresh Take
// are the same objects with the same definitions, and Diff from each of
// the Logged's last snapshots (which reads only what changed) is the Diff
// of the whole snapshots.
func sameLogged(t *testing.T, conn *pgx.Conn, l *Logged, step string) *Snapshot {
	t.Helper()
	got := sameAsTake(t, conn, l, "Logged", step)
	recentMu.Lock()
	recent := recentLogged[l]
	recentMu.Unlock()
	for _, before := range recent {
		whole := Diff(NewSnapshot(before.Objects()), NewSnapshot(got.Objects()))
		if diff := cmp.Diff(whole, Diff(before, got)); diff != "" {
			t.Fatalf("%s: Diff from snapshot %d of the Logged differs from the Diff of the whole snapshots (-whole +Logged's):\n%s", step, before.gen, diff)
		}
	}
	recentMu.Lock()
	recentLogged[l] = append(recent[max(0, len(recent)-2):], got)
	recentMu.Unlock()
	return got
}

// recentLogged are the last three snapshots of each Logged of the tests
// (which run in parallel).
var (
	recentMu     sync.Mutex
	recentLogged = map[*Logged][]*Snapshot{}
)

// The tricky steps of the Snapshotter (renames of what other objects
// print, changes that leave an object's own rows alone, deletions,
// rolled-back transactions, extensions...), each followed by a snapshot
// that must be Take's, without giving up the log.
func TestLoggedTrickySteps(t *testing.T) {
	t.Parallel()
	conn := newDB(t)
	l := newLogged(t, conn)
	sameLogged(t, conn, l, "empty database")
	steps := tricky
	if serverMajor(conn.PgConn()) >= 14 {
		steps = append(steps[:len(steps):len(steps)], `ALTER TYPE floatmultirange RENAME TO franges`)
	}
	steps = append(steps[:len(steps):len(steps)],
		// A default btree operator class made after the indexes'
		// printer was planned, which holds the default classes as a
		// constant.
		`CREATE TYPE duo AS (a integer, b integer);
		CREATE FUNCTION duo_cmp(duo, duo) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btrecordcmp($1, $2)';
		CREATE FUNCTION duo_lt(duo, duo) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::record < $2::record';
		CREATE OPERATOR << (LEFTARG = duo, RIGHTARG = duo, FUNCTION = duo_lt);
		CREATE OPERATOR CLASS duo_ops DEFAULT FOR TYPE duo USING btree AS OPERATOR 1 <<, FUNCTION 1 duo_cmp(duo, duo);
		CREATE TABLE duos (p duo, q integer);
		CREATE INDEX duos_p ON duos (p, q)`)
	if serverMajor(conn.PgConn()) <= 15 {
		// A table turned into a view keeps its check constraint and its
		// rules, which Take prints for a view, and a constraint, which it
		// does not.
		steps = append(steps[:len(steps):len(steps)], `CREATE TABLE became (a integer CHECK (a > 0), b integer DEFAULT 5);
		CREATE RULE keep AS ON INSERT TO became DO INSTEAD NOTHING;
		CREATE RULE "_RETURN" AS ON SELECT TO became DO INSTEAD SELECT 1 AS a, 2 AS b`,
			`ALTER VIEW became RENAME TO was`)
	}
	steps = append(steps[:len(steps):len(steps)],
		// Cascades that drop a default, a domain's constraint, a
		// column of another table.
		`CREATE FUNCTION one() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
		CREATE DOMAIN small AS integer CONSTRAINT small_check CHECK (VALUE < one() + 100);
		CREATE TYPE tag AS ENUM ('a');
		CREATE TABLE uses (a integer DEFAULT one(), b small, c tag, d integer)`,
		`DROP FUNCTION one() CASCADE`,
		`DROP TYPE tag CASCADE`,
		// A dropped replica identity index, a view on a view renamed,
		// a partitioned index and its partitions'.
		`CREATE UNIQUE INDEX uses_d ON uses (d); ALTER TABLE uses ALTER COLUMN d SET NOT NULL; ALTER TABLE uses REPLICA IDENTITY USING INDEX uses_d`,
		`DROP INDEX uses_d`,
		`CREATE TABLE parts (k integer, v text) PARTITION BY RANGE (k);
		CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (10);
		CREATE INDEX parts_v ON parts (v)`,
		`ALTER INDEX parts_v RENAME TO parts_value`,
		`ALTER TABLE parts RENAME COLUMN v TO value`,
		`ALTER TABLE parts DETACH PARTITION parts_1`,
		`DROP TABLE parts`,
		// A table of a composite type, its type renamed through the table.
		`CREATE TABLE point3 (x integer, y integer, z integer); CREATE TABLE places (p point3, ps point3[])`,
		`ALTER TABLE point3 RENAME TO point_3d`,
		`ALTER TABLE point_3d RENAME COLUMN z TO depth`,
		// A trigger dropped with its function.
		`CREATE FUNCTION uses_touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
		CREATE TRIGGER uses_touch BEFORE UPDATE ON uses FOR EACH ROW EXECUTE FUNCTION uses_touch()`,
		`DROP FUNCTION uses_touch() CASCADE`,
		// DO blocks and functions that run DDL.
		`DO $$ BEGIN EXECUTE 'ALTER TABLE uses ADD COLUMN e text'; END $$`,
		`CREATE PROCEDURE add_f() LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE uses ADD COLUMN f text; END $$; CALL add_f()`,
		// What a role cannot stop: SET ROLE and replication role.
		`SET session_replication_role = replica; ALTER TABLE uses ADD COLUMN g text; RESET session_replication_role`,
		`CREATE ROLE schemagate_logged_test_role; GRANT ALL ON SCHEMA public TO schemagate_logged_test_role;
		SET ROLE schemagate_logged_test_role; CREATE TABLE by_role (a integer); RESET ROLE;
		DROP TABLE by_role; REVOKE ALL ON SCHEMA public FROM schemagate_logged_test_role; DROP ROLE schemagate_logged_test_role`,
	)
	for i, step := range steps {
		exec(t, conn, step)
		before := l.Stats()
		sameLogged(t, conn, l, stepName(i, step))
		after := l.Stats()
		t.Logf("%s: %d owners, %d objects printed, everything %v", stepName(i, step),
			after.Owners-before.Owners, after.Printed-before.Printed, after.Everything > before.Everything)
	}
	st := l.Stats()
	t.Logf("%+v", st)
	if st.Lost != "" {
		t.Errorf("the log was lost: %s", st.Lost)
	}
	// The first snapshot; the extension and schema steps.
	if st.Everything > 12 {
		t.Errorf("%d snapshots printed everything, want at most 12", st.Everything)
	}
}

// TestLoggedCorpus replays the benchmark corpus as a replay does, each
// migration up, down and up again with a snapshot after each, every one
// the same as Take's, and printing few objects.
func TestLoggedCorpus(t *testing.T) {
	t.Parallel()
	conn := newDB(t)
	l := newLogged(t, conn)
	objects := replayCorpus(t, conn, 150, func(step string) *Snapshot { return sameLogged(t, conn, l, step) }).Len()
	st := l.Stats()
	t.Logf("%+v, %d objects at the end", st, objects)
	if st.Lost != "" || st.Everything != 1 {
		t.Errorf("lost %q, %d snapshots printed everything; want none lost and 1", st.Lost, st.Everything)
	}
	if st.Printed > 40*st.Snapshots {
		t.Errorf("printed %d objects in %d snapshots: not incremental enough", st.Printed, st.Snapshots)
	}
}

// Dropping a table that has a foreign key drops the key's triggers on the
// table it refers to, which are not printed: that table is not printed
// again.
func TestLoggedDropReferencing(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE TABLE parent (id integer PRIMARY KEY); CREATE TABLE child (p integer REFERENCES parent)")
	l := newLogged(t, conn)
	sameLogged(t, conn, l, "before")
	before := l.Stats()
	exec(t, conn, "DROP TABLE child")
	sameLogged(t, conn, l, "child dropped")
	if n := l.Stats().Owners - before.Owners; n != 0 {
		t.Errorf("%d owners printed again after dropping the referencing table, want 0", n)
	}
}

// When the log can no longer be trusted, Logged says why and goes on with
// a Snapshotter: every snapshot is still Take's.
func TestLoggedLost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, sql string }{
		{"trigger dropped", `DO $$ DECLARE e text; BEGIN
			FOR e IN SELECT evtname FROM pg_event_trigger WHERE evtname LIKE 'schemagate\_%' LOOP
			  EXECUTE format('DROP EVENT TRIGGER %I', e); END LOOP; END $$;
			ALTER TABLE t ADD COLUMN lost integer`},
		{"trigger disabled", `DO $$ DECLARE e text; BEGIN
			FOR e IN SELECT evtname FROM pg_event_trigger WHERE evtname LIKE 'schemagate\_ddl%' LOOP
			  EXECUTE format('ALTER EVENT TRIGGER %I DISABLE', e); END LOOP; END $$;
			ALTER TABLE t ADD COLUMN lost integer`},
		{"DISCARD TEMP", `DISCARD TEMP; ALTER TABLE t ADD COLUMN lost integer`},
		{"DISCARD ALL", `DISCARD ALL`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conn := newDB(t, "CREATE TABLE t (id integer PRIMARY KEY)")
			l := newLogged(t, conn)
			sameLogged(t, conn, l, "before")
			exec(t, conn, c.sql)
			exec(t, conn, "ALTER TABLE t ADD COLUMN IF NOT EXISTS lost integer")
			s := sameLogged(t, conn, l, "after "+c.name)
			if _, ok := s.Objects()["column public.t.lost"]; !ok {
				t.Errorf("the new column is not in the snapshot")
			}
			if l.Stats().Lost == "" {
				t.Errorf("the log was not given up")
			}
			exec(t, conn, "ALTER TABLE t ADD COLUMN later integer")
			sameLogged(t, conn, l, "later")
		})
	}
}

// A failed CREATE INDEX CONCURRENTLY leaves an invalid index that no
// trigger saw: Invalidate makes the next snapshot read everything.
func TestLoggedInvalidate(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE TABLE t (a integer); INSERT INTO t VALUES (1), (1)")
	l := newLogged(t, conn)
	sameLogged(t, conn, l, "before")
	if err := conn.PgConn().Exec(context.Background(), "CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a)").Close(); err == nil {
		t.Fatal("CREATE UNIQUE INDEX CONCURRENTLY on duplicates succeeded")
	}
	l.Invalidate()
	s := sameLogged(t, conn, l, "after the failed index")
	if o, ok := s.Objects()["index public.t_a"]; !ok || !strings.HasSuffix(o.Def, "INVALID") {
		t.Errorf("the invalid index is not in the snapshot: %+v", o)
	}
}

// Installing the log needs a superuser; failing, it leaves nothing.
func TestLoggedNeedsSuperuser(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE ROLE schemagate_not_super; SET ROLE schemagate_not_super")
	t.Cleanup(func() {
		_ = conn.PgConn().Exec(context.Background(), "RESET ROLE; DROP ROLE schemagate_not_super").Close()
	})
	if _, err := NewLogged(context.Background(), conn); err == nil || !strings.Contains(err.Error(), "install the change log") {
		t.Fatalf("NewLogged as a non-superuser: %v", err)
	}
	exec(t, conn, "RESET ROLE")
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_event_trigger").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d event triggers left (%v)", n, err)
	}
}

// A Logged snapshot is one round trip, in a transaction block too (Take),
// and the log's event triggers are not in it.
func TestLoggedRoundTrips(t *testing.T) {
	t.Parallel()
	conn := newDB(t, "CREATE TABLE t (id integer PRIMARY KEY, v text)")
	l := newLogged(t, conn)
	var rt roundTrips
	conn.PgConn().Frontend().Trace(&rt, pgproto3.TracerOptions{SuppressTimestamps: true})
	defer conn.PgConn().Frontend().Untrace()
	check := func(what string, want int) {
		t.Helper()
		rt.reset()
		s, err := l.Take(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if sent, completed := rt.reset(); sent != want || completed != want {
			t.Errorf("%s: %d requests, %d round trips; want %d", what, sent, completed, want)
		}
		for k := range s.Objects() {
			if strings.HasPrefix(k, "event trigger") {
				t.Errorf("%s: %s in the snapshot", what, k)
			}
		}
		sameLogged(t, conn, l, what)
	}
	check("first snapshot", 1)
	exec(t, conn, "ALTER TABLE t ADD COLUMN w integer")
	check("after a change", 1)
	exec(t, conn, "BEGIN; ALTER TABLE t ADD COLUMN x integer")
	check("in a transaction block", 1)
	exec(t, conn, "COMMIT")
	check("after the transaction", 1)
	if st := l.Stats(); st.InTransaction != 2 {
		t.Errorf("%d snapshots went to Take in the transaction block, want 2 (and sameLogged's): %+v", st.InTransaction, st)
	}
}

// TakeAfter runs a script and takes the snapshot after it in one round
// trip. A script that fails is rolled back and nothing is taken; the next
// snapshot is Take's all the same.
func TestLoggedTakeAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := newDB(t, `CREATE TABLE t (id integer PRIMARY KEY, v text);
		CREATE TABLE r (id integer REFERENCES t DEFERRABLE INITIALLY DEFERRED)`)
	l := newLogged(t, conn)
	if a, err := l.TakeAfter(ctx, []string{"ALTER TABLE t ADD COLUMN a integer"}); err != nil || a.Ran {
		t.Fatalf("before the first snapshot: %+v, %v; want the script not run (nothing prepared yet)", a, err)
	}
	sameLogged(t, conn, l, "first snapshot")
	var rt roundTrips
	conn.PgConn().Frontend().Trace(&rt, pgproto3.TracerOptions{SuppressTimestamps: true})
	defer conn.PgConn().Frontend().Untrace()
	for _, c := range []struct {
		name   string
		script []string
		ran    bool
		trips  int // 0: not counted
	}{
		{"in a transaction", []string{"BEGIN", "ALTER TABLE t ADD COLUMN w integer", "CREATE INDEX t_w ON t (w)", "COMMIT"}, true, 1},
		// A SELECT of four columns, the shape of the meta statement's rows.
		{"alone", []string{"ALTER TABLE t ADD COLUMN x integer", "SELECT 'D', 'r', 1::oid, 2::oid", "CREATE VIEW tv AS SELECT id, x FROM t"}, true, 1},
		{"deallocating the snapshot's statements", []string{"DEALLOCATE ALL", "ALTER TABLE t ADD COLUMN y integer"}, true, 0},
		// And the ROLLBACK of the aborted transaction block.
		{"failing in a transaction", []string{"BEGIN", "ALTER TABLE t ADD COLUMN z integer", "ALTER TABLE nosuch ADD COLUMN q integer", "COMMIT"}, false, 2},
		{"failing alone", []string{"ALTER TABLE t ADD COLUMN z integer", "SELECT 1/0"}, false, 1},
		{"failing at COMMIT", []string{"BEGIN", "INSERT INTO r VALUES (1)", "ALTER TABLE t ADD COLUMN z integer", "COMMIT"}, false, 1},
	} {
		rt.resetAll()
		a, err := l.TakeAfter(ctx, c.script)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, _, trips := rt.resetAll()
		if a.Ran != c.ran || a.Failed == c.ran {
			t.Errorf("%s: ran %v, failed %v; want ran %v", c.name, a.Ran, a.Failed, c.ran)
		}
		if st := conn.PgConn().TxStatus(); st != 'I' {
			t.Fatalf("%s: the connection is left in transaction status %c", c.name, st)
		}
		if c.trips > 0 && trips != c.trips {
			t.Errorf("%s: %d round trips, want %d", c.name, trips, c.trips)
		}
		if a.Ran {
			if diff := cmp.Diff(take(t, conn).Objects(), a.Snapshot.Objects()); diff != "" {
				t.Errorf("%s: the snapshot differs from Take (-Take +TakeAfter):\n%s", c.name, diff)
			}
			if a.Script <= 0 {
				t.Errorf("%s: the script took %v", c.name, a.Script)
			}
		} else if a.Snapshot != nil {
			t.Errorf("%s: a snapshot after a failed script", c.name)
		}
		got := sameLogged(t, conn, l, "after "+c.name)
		if _, ok := got.Objects()["column public.t.z"]; ok {
			t.Fatalf("%s: the failed script's column is there", c.name)
		}
	}
}
