package trace

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/schemagate/schemagate/checks/checktest"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/testdb/testdbtest"
)

// shared is the PostgreSQL server of the package's tests.
var shared testdbtest.Shared

func TestMain(m *testing.M) {
	os.Exit(shared.Run(m))
}

// traced is the outcome of linting and replaying one annotated history
// with a Tracer, in a fresh database.
type traced struct {
	tracer *Tracer
	static []finding.Finding // the lint's findings
	replay *replay.Result
	ms     []migrations.Migration
}

// run lints and replays text, migrations separated by "-- checktest: next"
// and options such as "-- checktest: tx=wrapped" (see checktest). The
// replay must not stop early unless failing is set.
func run(t *testing.T, text string, opts ...func(*replay.Options)) *traced {
	t.Helper()
	ctx := context.Background()
	srv := shared.Server(t)
	ms, _, err := checktest.Migrations("m.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := lint.Run(ctx, ms, lint.Options{PGVersion: srv.Version()})
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parsed := func(s *migrations.Script) *sqlparse.Script { return res.Parsed[s] }
	tr := New(parsed)
	o := replay.Options{Parsed: parsed, Hooks: tr.Hooks, StatementTimeout: time.Minute}
	for _, f := range opts {
		f(&o)
	}
	rep, err := replay.Run(ctx, db.URL(), ms, o)
	if err != nil {
		t.Fatal(err)
	}
	return &traced{tracer: tr, static: res.Findings, replay: rep, ms: ms}
}

// clean fails the test when the replay reported anything.
func (r *traced) clean(t *testing.T) *traced {
	t.Helper()
	for _, f := range r.replay.Findings {
		t.Errorf("replay: %s: %s: %s", f.Location, f.Rule, f.Message)
	}
	if r.replay.Stopped != "" {
		t.Errorf("replay stopped: %s", r.replay.Stopped)
	}
	return r
}

// at is the trace of the statement starting with prefix.
func (r *traced) at(t *testing.T, prefix string) StatementTrace {
	t.Helper()
	var found []StatementTrace
	for _, st := range r.tracer.Statements() {
		if strings.HasPrefix(st.Statement, prefix) {
			found = append(found, st)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d traced statements start with %q; traced: %s", len(found), prefix, r.dump())
	}
	return found[0]
}

func (r *traced) dump() string {
	var b strings.Builder
	for _, st := range r.tracer.Statements() {
		fmt.Fprintf(&b, "\n  %s:%d %q locks=%v rewrites=%v lock_timeout=%q held=%s observed=%v",
			st.File, st.Line, st.Statement, st.Locks, st.Rewrites, st.LockTimeout, st.Held, st.LocksObserved)
	}
	return b.String()
}

// findings are the merged findings of the trace phase and of rules,
// rendered "line rule severity: message".
func (r *traced) merged(rules ...string) []string {
	var out []string
	fs := r.tracer.Merge(r.static)
	finding.Sort(fs)
	for _, f := range fs {
		if f.Phase != finding.Trace && !contains(rules, f.Rule) {
			continue
		}
		out = append(out, fmt.Sprintf("%d %s %s: %s", f.Line, f.Rule, f.Severity, f.Message))
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func hasLock(st StatementTrace, relation, mode string) bool {
	for _, l := range st.Locks {
		if l.Relation == relation && l.Mode == mode {
			return true
		}
	}
	return false
}

const users = `-- checktest: tx=wrapped
CREATE TABLE users (id integer PRIMARY KEY, name varchar(50), email text);
CREATE INDEX users_email_idx ON users (email);
INSERT INTO users SELECT i, 'n' || i, 'e' || i FROM generate_series(1, 100) i;
-- checktest: next
`

func TestTypeChange(t *testing.T) {
	r := run(t, users+`ALTER TABLE users ALTER COLUMN id TYPE bigint;
-- checktest: next
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);
`).clean(t)

	rewrite := r.at(t, "ALTER TABLE users ALTER COLUMN id TYPE bigint")
	// The primary key's index is built anew (a new relation), the other
	// index rebuilt in place.
	if !contains(rewrite.Rewrites, "public.users") || !contains(rewrite.Rewrites, "public.users_email_idx") {
		t.Errorf("integer to bigint: rewrites %v, want public.users and public.users_email_idx", rewrite.Rewrites)
	}
	if len(rewrite.Locks) != 1 {
		t.Errorf("integer to bigint: locks %v, want only the table's (its indexes' are implied)", rewrite.Locks)
	}
	if !hasLock(rewrite, "public.users", "ACCESS EXCLUSIVE") {
		t.Errorf("integer to bigint: locks %v, want ACCESS EXCLUSIVE on public.users", rewrite.Locks)
	}
	twin := r.at(t, "ALTER TABLE users ALTER COLUMN name TYPE varchar(100)")
	if len(twin.Rewrites) > 0 {
		t.Errorf("varchar(50) to varchar(100): rewrites %v, want none", twin.Rewrites)
	}
	if !hasLock(twin, "public.users", "ACCESS EXCLUSIVE") {
		t.Errorf("varchar(50) to varchar(100): locks %v, want ACCESS EXCLUSIVE on public.users", twin.Locks)
	}

	// The static rule knows both types (the first migration declared
	// them): it reports the rewrite, which the trace confirms, and stays
	// quiet on the twin. The locks confirm missing-lock-timeout, which
	// takes the place of the trace's blocking-lock.
	got := r.merged("change-column-type", "missing-lock-timeout")
	want := []string{
		`6 missing-lock-timeout warning: …; confirmed on PostgreSQL %d: ACCESS EXCLUSIVE on public.users`,
		`6 change-column-type error: …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.users, table rewritten`,
		`8 missing-lock-timeout warning: …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.users`,
	}
	compare(t, got, want, r.tracer.Version())
}

func TestAddColumnDefault(t *testing.T) {
	r := run(t, users+`ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();
-- checktest: next
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
`).clean(t)
	if st := r.at(t, "ALTER TABLE users ADD COLUMN created_at"); len(st.Rewrites) > 0 {
		t.Errorf("DEFAULT now(): rewrites %v, want none", st.Rewrites)
	}
	if st := r.at(t, "ALTER TABLE users ADD COLUMN seen_at"); !contains(st.Rewrites, "public.users") {
		t.Errorf("DEFAULT clock_timestamp(): rewrites %v, want public.users", st.Rewrites)
	}
	// Without the static findings, the trace reports the rewrite itself.
	var got []string
	for _, f := range r.tracer.Findings() {
		got = append(got, fmt.Sprintf("%d %s %s: %s", f.Line, f.Rule, f.Severity, f.Message))
	}
	compare(t, got, []string{
		`6 blocking-lock warning: took an ACCESS EXCLUSIVE lock on public.users, which blocks reads and writes; held ? in the replay, until its transaction ended; no lock_timeout was set`,
		`8 table-rewrite error: rewrote table public.users and its 2 indexes under an ACCESS EXCLUSIVE lock held ? in the replay: on a large table every read and write waits for the copy`,
	}, 0)
}

func TestIndexInDOBlock(t *testing.T) {
	r := run(t, users+`DO $$
BEGIN
    EXECUTE format('CREATE INDEX %I ON users (name)', 'users_name_idx');
END
$$;
-- checktest: next
CREATE TABLE orders (id bigint PRIMARY KEY, user_email text);
CREATE INDEX orders_email_idx ON orders (user_email);
`).clean(t)
	do := r.at(t, "DO $$")
	if !hasLock(do, "public.users", "SHARE") {
		t.Errorf("CREATE INDEX in a DO block: locks %v, want SHARE on public.users", do.Locks)
	}
	for _, s := range []string{"CREATE TABLE orders", "CREATE INDEX orders_email_idx"} {
		if st := r.at(t, s); len(st.Locks) > 0 || len(st.Rewrites) > 0 {
			t.Errorf("%s: locks %v, rewrites %v; want none on a new table", s, st.Locks, st.Rewrites)
		}
	}
	// No static rule sees the index; the trace does.
	compare(t, r.merged("create-index-non-concurrently"), []string{
		`6 blocking-lock warning: took a SHARE lock on public.users, which blocks writes; held ? in the replay, until its transaction ended; no lock_timeout was set`,
	}, 0)
}

func TestLockTimeout(t *testing.T) {
	r := run(t, `-- checktest: tx=none
CREATE TABLE users (id integer PRIMARY KEY);
CREATE TABLE orders (id integer PRIMARY KEY);
CREATE TABLE items (id integer PRIMARY KEY);
-- checktest: next
SET LOCAL lock_timeout = '3s';
ALTER TABLE items ADD COLUMN note text;
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN name text;
-- checktest: next
-- checktest: tx=wrapped
ALTER TABLE orders ADD COLUMN note text;
SET LOCAL lock_timeout = '4s';
ALTER TABLE orders ADD COLUMN total numeric;
`).clean(t)
	for _, c := range []struct{ stmt, want string }{
		// SET LOCAL outside a transaction does nothing, even though the
		// trace runs it in a transaction of its own.
		{"ALTER TABLE items", "0"},
		{"ALTER TABLE users", "2s"},
		{"ALTER TABLE orders ADD COLUMN note", "2s"}, // the session's setting carries over
		{"ALTER TABLE orders ADD COLUMN total", "4s"},
	} {
		if got := r.at(t, c.stmt).LockTimeout; got != c.want {
			t.Errorf("%s: lock_timeout %q, want %q", c.stmt, got, c.want)
		}
	}
	// The wrapped migration's first statement is not charged for the
	// lock its second one takes again.
	if st := r.at(t, "ALTER TABLE orders ADD COLUMN total"); len(st.Locks) != 0 {
		t.Errorf("second ALTER in one transaction: locks %v, want none new", st.Locks)
	}
}

func TestNoTransaction(t *testing.T) {
	r := run(t, `-- checktest: tx=none
CREATE TABLE users (id integer PRIMARY KEY, email text);
-- checktest: next
ALTER TABLE users ADD COLUMN name text;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
VACUUM FULL users;
`).clean(t)
	alter := r.at(t, "ALTER TABLE users ADD COLUMN name")
	if !alter.LocksObserved || !hasLock(alter, "public.users", "ACCESS EXCLUSIVE") {
		t.Errorf("ALTER TABLE alone: locks %v (observed %v), want ACCESS EXCLUSIVE on public.users", alter.Locks, alter.LocksObserved)
	}
	cic := r.at(t, "CREATE INDEX CONCURRENTLY")
	if cic.LocksObserved || len(cic.Locks) > 0 || len(cic.Rewrites) > 0 {
		t.Errorf("CREATE INDEX CONCURRENTLY: %+v, want it run alone, no lock, no rewrite", cic)
	}
	vac := r.at(t, "VACUUM FULL")
	if vac.LocksObserved || !contains(vac.Rewrites, "public.users") {
		t.Errorf("VACUUM FULL: rewrites %v (locks observed %v), want public.users, locks unobserved", vac.Rewrites, vac.LocksObserved)
	}
	got := r.merged("vacuum-full", "create-index-non-concurrently", "missing-lock-timeout")
	want := []string{
		`4 missing-lock-timeout warning: …; confirmed on PostgreSQL %d: ACCESS EXCLUSIVE on public.users`,
		`6 vacuum-full error: …; confirmed on PostgreSQL %[1]d: rewrote table public.users and its index`,
	}
	compare(t, got, want, r.tracer.Version())
}

// A statement that cannot run in a transaction block although its text
// does not say so runs again alone, as the migration tool runs it.
func TestRefusedInBlock(t *testing.T) {
	r := run(t, `-- checktest: tx=none
CREATE TABLE users (id integer PRIMARY KEY);
CREATE PROCEDURE step() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO users VALUES (1); COMMIT; END $$;
-- checktest: next
DO $$ BEGIN CALL step(); END $$;
`).clean(t)
	if st := r.at(t, "DO $$"); st.LocksObserved {
		t.Errorf("DO block that commits: observed in a transaction, want run alone")
	}
}

func TestExplicitTransaction(t *testing.T) {
	r := run(t, `-- checktest: tx=none
CREATE TABLE users (id integer PRIMARY KEY);
-- checktest: next
BEGIN;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
LOCK TABLE users IN SHARE MODE;
ALTER TABLE users ADD COLUMN name text;
SELECT pg_sleep(0.2);
COMMIT;
-- checktest: next
-- checktest: tx=wrapped
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
ALTER TABLE users ADD COLUMN email text;
`).clean(t)
	lock := r.at(t, "LOCK TABLE")
	if !hasLock(lock, "public.users", "SHARE") {
		t.Errorf("LOCK TABLE: locks %v, want SHARE on public.users", lock.Locks)
	}
	if lock.Held < 200*time.Millisecond {
		t.Errorf("LOCK TABLE held %s, want at least the 200ms before COMMIT", lock.Held)
	}
	alter := r.at(t, "ALTER TABLE users ADD COLUMN name")
	if !hasLock(alter, "public.users", "ACCESS EXCLUSIVE") || len(alter.Locks) != 1 {
		t.Errorf("ALTER after LOCK TABLE: locks %v, want only ACCESS EXCLUSIVE on public.users", alter.Locks)
	}
	if st := r.at(t, "ALTER TABLE users ADD COLUMN email"); !hasLock(st, "public.users", "ACCESS EXCLUSIVE") {
		t.Errorf("ALTER after SET TRANSACTION: locks %v, want ACCESS EXCLUSIVE on public.users", st.Locks)
	}
}

func TestMerge(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
DO $$ BEGIN EXECUTE 'CREATE TABLE users (id integer PRIMARY KEY, name ' || 'varchar(50))'; END $$;
CREATE FUNCTION stamp() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT now()';
-- checktest: next
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);
-- checktest: next
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
-- checktest: next
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT stamp();
-- checktest: next
CREATE INDEX users_name_idx ON users (name);
-- checktest: next
ALTER TABLE users ALTER COLUMN id TYPE bigint;
SELECT 1/0;
`)
	if len(r.replay.Findings) != 1 || r.replay.Findings[0].Rule != "up-fails" {
		t.Fatalf("replay findings %v, want the last migration's up-fails", r.replay.Findings)
	}
	got := r.merged("change-column-type", "add-column-rewrite", "create-index-non-concurrently")
	want := []string{
		// Lowered: the rule does not know the old type; the server did not rewrite.
		`5 change-column-type notice: …; not confirmed: PostgreSQL %d did not rewrite public.users in the replay`,
		// Confirmed: the trace's own findings on the line are dropped.
		`7 add-column-rewrite error: …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.users, table rewritten`,
		// Lowered: stamp() is STABLE, which the rule could not know.
		`9 add-column-rewrite notice: …; not confirmed: PostgreSQL %[1]d did not rewrite public.users in the replay`,
		`11 create-index-non-concurrently error: …; confirmed on PostgreSQL %[1]d: SHARE on public.users`,
		// Not traced: the migration failed.
		`13 change-column-type error: …`,
	}
	got = withoutRule(got, "blocking-lock", 5, 9) // the lowered claims' locks
	compare(t, got, want, r.tracer.Version())
	untouched(t, got, 13)
	for _, st := range r.tracer.Statements() {
		if st.Migration == "6" {
			t.Errorf("statement %q of the failed migration was traced", st.Statement)
		}
	}
}

// withoutRule drops the findings of rule on lines, after checking they
// are there.
func withoutRule(got []string, rule string, lines ...int) []string {
	var out []string
	for _, g := range got {
		drop := false
		for _, l := range lines {
			if strings.HasPrefix(g, fmt.Sprintf("%d %s ", l, rule)) {
				drop = true
			}
		}
		if !drop {
			out = append(out, g)
		}
	}
	return out
}

// compare matches got against want, in which %d stands for the server's
// version, ? for a duration and … for anything (a static rule's own
// message, which is not this package's business).
func compare(t *testing.T, got, want []string, version int) {
	t.Helper()
	ok := len(got) == len(want)
	var g []string
	for i, s := range got {
		s = durations.ReplaceAllString(s, "?")
		g = append(g, s)
		if i >= len(want) {
			continue
		}
		w := want[i]
		if strings.Contains(w, "%") {
			w = fmt.Sprintf(w, version)
		}
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(w), "…", ".*") + "$"
		if !regexp.MustCompile(re).MatchString(s) {
			ok = false
		}
	}
	if !ok {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(g, "\n"), fmt.Sprintf(strings.Join(want, "\n"), version))
	}
}

var durations = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m)\b`)

// Names that need quoting, even with a newline, come out as PostgreSQL
// quotes them.
func TestQuotedNames(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."odd name
two lines" (id int);
CREATE TABLE "user" (id int);
CREATE TABLE "größe" (id int);
-- checktest: next
ALTER TABLE "Sales"."odd name
two lines" ADD COLUMN x int;
ALTER TABLE "user" ADD COLUMN x int;
ALTER TABLE "größe" ADD COLUMN x int;
`).clean(t)
	if st := r.at(t, `ALTER TABLE "größe"`); !hasLock(st, `public."größe"`, "ACCESS EXCLUSIVE") {
		t.Errorf("locks %q", st.Locks)
	}
	if st := r.at(t, `ALTER TABLE "Sales"`); !hasLock(st, "\"Sales\".\"odd name\ntwo lines\"", "ACCESS EXCLUSIVE") {
		t.Errorf("locks %q", st.Locks)
	}
	if st := r.at(t, `ALTER TABLE "user"`); !hasLock(st, `public."user"`, "ACCESS EXCLUSIVE") {
		t.Errorf("locks %q", st.Locks)
	}
}

// Three statements on one line: a static finding goes with the statement
// under its column.
func TestSameLine(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
-- checktest: next
CREATE INDEX a_id ON a (id); ALTER TABLE b ADD COLUMN x int; ALTER TABLE c ADD COLUMN x int;
`).clean(t)
	compare(t, r.merged("create-index-non-concurrently", "missing-lock-timeout", "lock-held-across-statements"), []string{
		`4 create-index-non-concurrently error: …; confirmed on PostgreSQL %d: SHARE on public.a`,
		`4 lock-held-across-statements warning: the SHARE lock that CREATE INDEX takes on "a" …; confirmed on PostgreSQL %[1]d: SHARE on public.a, held ? in the replay`,
		`4 missing-lock-timeout warning: …; confirmed on PostgreSQL %[1]d: SHARE on public.a`,
		`4 lock-held-across-statements warning: the ACCESS EXCLUSIVE lock that ALTER TABLE takes on "b" …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.b, held ? in the replay`,
		`4 blocking-lock warning: took an ACCESS EXCLUSIVE lock on public.c, which blocks reads and writes; held ? in the replay, until its transaction ended; no lock_timeout was set`,
	}, r.tracer.Version())
}

// The replay's fast pass traces nothing: the static findings stay.
func TestFastPass(t *testing.T) {
	r := run(t, users+`ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
-- checktest: next
ALTER TABLE users ADD COLUMN note text;
`, func(o *replay.Options) { o.FullFrom = 2 }).clean(t)
	got := r.merged("add-column-rewrite", "missing-lock-timeout")
	compare(t, got, []string{
		`6 missing-lock-timeout warning: …`,
		`6 add-column-rewrite error: …`,
		`8 missing-lock-timeout warning: …; confirmed on PostgreSQL %d: ACCESS EXCLUSIVE on public.users`,
	}, r.tracer.Version())
	untouched(t, got, 6)
}

// untouched checks that the findings on line say nothing of the trace.
func untouched(t *testing.T, got []string, line int) {
	t.Helper()
	for _, g := range got {
		if strings.HasPrefix(g, fmt.Sprintf("%d ", line)) && strings.Contains(g, "confirmed") {
			t.Errorf("not traced, yet: %s", g)
		}
	}
}

// REINDEX and REFRESH rebuild what they name, which their static rules
// say; TRUNCATE gives the table an empty file, which is no rewrite.
func TestRebuilds(t *testing.T) {
	r := run(t, users+`CREATE MATERIALIZED VIEW names AS SELECT name FROM users;
-- checktest: next
REINDEX INDEX users_email_idx;
REFRESH MATERIALIZED VIEW names;
TRUNCATE users;
`).clean(t)
	if st := r.at(t, "REINDEX"); !contains(st.Rewrites, "public.users_email_idx") || !hasLock(st, "public.users", "SHARE") || !hasLock(st, "public.users_email_idx", "ACCESS EXCLUSIVE") {
		t.Errorf("REINDEX INDEX: locks %v, rewrites %v", st.Locks, st.Rewrites)
	}
	if st := r.at(t, "TRUNCATE"); len(st.Rewrites) > 0 {
		t.Errorf("TRUNCATE: rewrites %v, want none", st.Rewrites)
	}
	compare(t, r.merged("reindex-non-concurrently", "refresh-materialized-view-non-concurrently", "truncate"), []string{
		`8 reindex-non-concurrently warning: …; confirmed on PostgreSQL %d: ACCESS EXCLUSIVE on public.users_email_idx, SHARE on public.users, rebuilt index public.users_email_idx`,
		`9 refresh-materialized-view-non-concurrently warning: …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.names, materialized view rewritten`,
		`10 truncate error: …; confirmed on PostgreSQL %[1]d: ACCESS EXCLUSIVE on public.users`,
	}, r.tracer.Version())
}

// A TRUNCATE in a DO block gives the table and its indexes empty files,
// which is no rewrite either; a rewrite in the same block still is one.
func TestTruncateInDOBlock(t *testing.T) {
	r := run(t, users+`CREATE TABLE events (id bigint PRIMARY KEY, n int);
-- checktest: next
DO $$
BEGIN
  TRUNCATE users;
  ALTER TABLE events ALTER COLUMN n TYPE bigint;
END
$$;
`).clean(t)
	st := r.at(t, "DO $$")
	if contains(st.Rewrites, "public.users") || contains(st.Rewrites, "public.users_email_idx") || !contains(st.Rewrites, "public.events") {
		t.Errorf("DO block: rewrites %v, want public.events alone", st.Rewrites)
	}
}

// The relations are read whole before the first migration and, before each
// later one, only those whose catalog rows changed: a relation renamed, in
// a schema renamed, or an index rebuilt in an earlier migration is still
// known by its name at the time and, for an index, by its table.
func TestRelationsAcrossMigrations(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
CREATE SCHEMA s;
CREATE TABLE s.t (id int PRIMARY KEY, v int);
CREATE INDEX t_v ON s.t (v);
CREATE TABLE u (id int);
-- checktest: next
ALTER SCHEMA s RENAME TO s2;
CREATE TABLE s2.w (id int);
-- checktest: next
REINDEX INDEX s2.t_pkey;
ALTER TABLE u RENAME TO u2;
-- checktest: next
ALTER TABLE s2.t ALTER COLUMN v TYPE bigint;
ALTER TABLE u2 ADD COLUMN x int;
ALTER TABLE s2.w ADD COLUMN x int;
`).clean(t)
	st := r.at(t, "ALTER TABLE s2.t")
	if !hasLock(st, "s2.t", "ACCESS EXCLUSIVE") || !contains(st.Rewrites, "s2.t") || !contains(st.Rewrites, "s2.t_pkey") {
		t.Errorf("ALTER TABLE s2.t: locks %v, rewrites %v", st.Locks, st.Rewrites)
	}
	for _, l := range st.Locks {
		if l.Relation != "s2.t" {
			t.Errorf("ALTER TABLE s2.t: lock on %s reported besides the table's", l.Relation)
		}
	}
	if st := r.at(t, "ALTER TABLE u2"); !hasLock(st, "public.u2", "ACCESS EXCLUSIVE") {
		t.Errorf("ALTER TABLE u2: locks %v", st.Locks)
	}
	if st := r.at(t, "ALTER TABLE s2.w"); !hasLock(st, "s2.w", "ACCESS EXCLUSIVE") {
		t.Errorf("ALTER TABLE s2.w: locks %v", st.Locks)
	}
}

// A rewrite that its transaction rolled back is no rewrite of the next
// migration: the relations are read afresh after a rollback.
func TestRolledBackRewrite(t *testing.T) {
	r := run(t, users+`BEGIN;
ALTER TABLE users ALTER COLUMN id TYPE bigint;
ROLLBACK;
-- checktest: next
ALTER TABLE users ADD COLUMN note text;
`).clean(t)
	if st := r.at(t, "ALTER TABLE users ALTER"); !contains(st.Rewrites, "public.users") {
		t.Errorf("ALTER COLUMN TYPE: rewrites %v, want public.users", st.Rewrites)
	}
	if st := r.at(t, "ALTER TABLE users ADD"); len(st.Rewrites) > 0 {
		t.Errorf("ADD COLUMN after a rolled-back rewrite: rewrites %v, want none", st.Rewrites)
	}
}

// A relation moved out of the user's schemas is no longer one of theirs.
func TestMovedToInformationSchema(t *testing.T) {
	r := run(t, users+`ALTER TABLE users SET SCHEMA information_schema;
-- checktest: next
ALTER TABLE information_schema.users ADD COLUMN note text;
`).clean(t)
	if st := r.at(t, "ALTER TABLE information_schema.users"); len(st.Locks) > 0 {
		t.Errorf("locks %v, want none (not a user relation)", st.Locks)
	}
}

// A migration that removes prepared statements (DEALLOCATE, even from a DO
// block, in its up or its down) costs the trace's prepared read of the
// relations a second try before the next migration, not that migration's
// transaction.
func TestDeallocated(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
CREATE TABLE a (id int);
-- checktest: next
DEALLOCATE ALL;
ALTER TABLE a ADD COLUMN b int;
-- checktest: down
ALTER TABLE a DROP COLUMN b;
DO $$ BEGIN EXECUTE 'DEALLOCATE ALL'; END $$;
-- checktest: next
ALTER TABLE a ADD COLUMN c int;
-- checktest: down
ALTER TABLE a DROP COLUMN c;
`).clean(t)
	for _, prefix := range []string{"ALTER TABLE a ADD COLUMN b", "ALTER TABLE a ADD COLUMN c"} {
		if st := r.at(t, prefix); !hasLock(st, "public.a", "ACCESS EXCLUSIVE") {
			t.Errorf("%s: locks %v", prefix, st.Locks)
		}
	}
}

// The locks' query after a statement is prepared too: a statement that
// deallocates it (here through an event trigger, in the middle of a
// transaction) still has its locks read, and so do the statements after
// it, and the migration does not fail.
func TestDeallocatedByTheStatement(t *testing.T) {
	r := run(t, `-- checktest: tx=wrapped
CREATE TABLE a (id int);
CREATE TABLE b (id int);
CREATE FUNCTION forget() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN DEALLOCATE ALL; END $$;
-- checktest: next
CREATE EVENT TRIGGER forget ON ddl_command_end WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION forget();
-- checktest: down
DROP EVENT TRIGGER forget;
-- checktest: next
ALTER TABLE a ADD COLUMN x int;
ALTER TABLE b ADD COLUMN x int;
-- checktest: down
ALTER TABLE a DROP COLUMN x;
ALTER TABLE b DROP COLUMN x;
`).clean(t)
	for _, c := range []struct{ prefix, table string }{{"ALTER TABLE a", "public.a"}, {"ALTER TABLE b", "public.b"}} {
		if st := r.at(t, c.prefix); !hasLock(st, c.table, "ACCESS EXCLUSIVE") {
			t.Errorf("%s: locks %v", c.prefix, st.Locks)
		}
	}
}
