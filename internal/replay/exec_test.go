package replay_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/schemagate/schemagate/bench/corpus"
	"github.com/schemagate/schemagate/checks/checktest"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/internal/trace"
	"github.com/schemagate/schemagate/testdb"
	"github.com/schemagate/schemagate/testdb/testdbtest"
)

// shared is the PostgreSQL server of the package's tests.
var shared testdbtest.Shared

func TestMain(m *testing.M) { os.Exit(shared.Run(m)) }

// prepare lints ms and makes an empty database to replay them in.
func prepare(t *testing.T, srv testdb.Server, ms []migrations.Migration) (string, func(*migrations.Script) *sqlparse.Script) {
	t.Helper()
	ctx := context.Background()
	res, err := lint.Run(ctx, ms, lint.Options{PGVersion: srv.Version()})
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return db.URL(), func(s *migrations.Script) *sqlparse.Script { return res.Parsed[s] }
}

// replayText replays the checktest-annotated text in a fresh database and
// returns the findings as "line:column rule: message" and why it stopped.
func replayText(t *testing.T, text string, timeout time.Duration) ([]string, string) {
	t.Helper()
	return replayWith(t, text, timeout, false)
}

// replayTraced is replayText with the trace watching the up scripts, so
// that each statement goes with BEGIN, the trace's query or COMMIT in one
// message.
func replayTraced(t *testing.T, text string) ([]string, string) {
	t.Helper()
	return replayWith(t, text, time.Minute, true)
}

func replayWith(t *testing.T, text string, timeout time.Duration, traced bool) ([]string, string) {
	t.Helper()
	ctx := context.Background()
	srv := shared.Server(t)
	ms, _, err := checktest.Migrations("m.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	url, parsed := prepare(t, srv, ms)
	o := replay.Options{Parsed: parsed, StatementTimeout: timeout}
	if traced {
		o.Hooks = trace.New(parsed).Hooks
	}
	rep, err := replay.Run(ctx, url, ms, o)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%d:%d %s: %s", f.Location.Line, f.Location.Column, f.Rule, f.Message))
	}
	return out, rep.Stopped
}

// The down and the second up run as one multi-statement query when
// nothing traces them; a statement that fails there is still reported at
// its own line and column, with the schema as it was after up.
func TestBatchedScriptFailsAtItsStatement(t *testing.T) {
	for _, tx := range []string{"wrapped", "implicit"} {
		t.Run(tx, func(t *testing.T) {
			got, stopped := replayText(t, `-- checktest: tx=`+tx+`
CREATE TABLE a (id int);
CREATE TABLE b (id int);
-- checktest: down
DROP TABLE b;
ALTER TABLE a DROP COLUMN nope;
DROP TABLE a;
-- checktest: next
CREATE TABLE c (id int);
-- checktest: down
DROP TABLE c;
`, time.Minute)
			want := `6:1 down-fails: down migration fails: column "nope" of relation "a" does not exist`
			if len(got) != 1 || got[0] != want {
				t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), want)
			}
			if stopped != "" {
				t.Errorf("the replay stopped: %s", stopped)
			}
		})
	}
}

// A statement of a batched down that fails runs twice at most: in the
// snapshot's round trip, then alone, which reports it (a statement that
// hangs until the timeout costs no more than that). The sequence counts
// the runs: nextval is not rolled back.
func TestBatchedScriptFailureRunsTwice(t *testing.T) {
	ctx := context.Background()
	ms, _, err := checktest.Migrations("m.sql", `-- checktest: tx=wrapped
CREATE SEQUENCE runs;
CREATE TABLE a (id int);
-- checktest: down
SELECT nextval('runs'), pg_sleep(0.5);
DROP TABLE a;
DROP SEQUENCE runs;
`)
	if err != nil {
		t.Fatal(err)
	}
	url, parsed := prepare(t, shared.Server(t), ms)
	rep, err := replay.Run(ctx, url, ms, replay.Options{Parsed: parsed, StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "statement-timeout" || rep.Findings[0].Location.Line != 5 {
		t.Errorf("findings: %+v; want one statement-timeout at line 5", rep.Findings)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var runs int
	if err := conn.QueryRow(ctx, "SELECT last_value FROM runs").Scan(&runs); err != nil || runs != 2 {
		t.Errorf("the failing statement ran %d times (%v), want 2", runs, err)
	}
}

// COPY to or from the client is not sent in a pipeline, which cannot take
// its rows; COPY FROM STDIN, which would wait for rows that never come, is
// reported at its line rather than sent.
func TestCopyWithClient(t *testing.T) {
	got, stopped := replayText(t, `-- checktest: tx=implicit
CREATE TABLE a (id int);
COPY a TO STDOUT;
-- checktest: down
DROP TABLE a;
-- checktest: next
CREATE TABLE b (id int);
-- checktest: down
COPY b FROM STDIN;
DROP TABLE b;
`, time.Minute)
	want := "9:1 down-fails: down migration fails: COPY FROM STDIN reads its rows from the client, and the replay has none to send"
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("findings:\n  %s\nwant one that begins:\n  %s", strings.Join(got, "\n  "), want)
	}
	if stopped != "" {
		t.Errorf("the replay stopped: %s", stopped)
	}
}

// Batched, statement_timeout still limits each statement, not the script:
// two statements that each take most of the timeout pass, and a statement
// that takes longer is reported at its line.
func TestBatchedScriptTimeoutPerStatement(t *testing.T) {
	got, _ := replayText(t, `-- checktest: tx=wrapped
CREATE TABLE a (id int);
-- checktest: down
SELECT pg_sleep(0.6);
SELECT pg_sleep(0.6);
DROP TABLE a;
-- checktest: next
CREATE TABLE b (id int);
-- checktest: down
DROP TABLE b;
SELECT pg_sleep(2);
`, time.Second)
	want := "11:1 statement-timeout: statement ran longer than --statement-timeout (1s): canceling statement due to statement timeout"
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), want)
	}
}

// --statement-timeout outlasts a migration that lifts it: after SET
// statement_timeout = 0 (or RESET ALL, DISCARD ALL) in one migration, a
// statement of a later one that runs too long is still stopped and
// reported; one cancelled by the migration's own statement_timeout is said
// to be.
func TestStatementTimeoutKeptAcrossMigrations(t *testing.T) {
	for _, lift := range []string{"SET statement_timeout = 0;", "RESET ALL;", "DISCARD ALL;", "SELECT set_config('statement_timeout', '0', false);"} {
		t.Run(lift, func(t *testing.T) {
			got, _ := replayText(t, `-- checktest: tx=none
`+lift+`
CREATE TABLE a (id int);
-- checktest: down
DROP TABLE a;
-- checktest: next
CREATE TABLE b (id int);
-- checktest: down
SELECT pg_sleep(3);
DROP TABLE b;
`, time.Second)
			wantOne(t, got, "9:1 statement-timeout: statement ran longer than --statement-timeout (1s): canceling statement due to statement timeout")
		})
	}
	got, _ := replayText(t, `-- checktest: tx=none
CREATE TABLE a (id int);
-- checktest: down
SET statement_timeout = '100ms';
SELECT pg_sleep(1);
DROP TABLE a;
`, time.Minute)
	wantOne(t, got, "5:1 statement-timeout: statement ran longer than the statement_timeout in effect, which the migration sets itself (--statement-timeout: 1m0s): canceling statement due to statement timeout")
}

// wantOne fails the test unless the findings are want alone.
func wantOne(t *testing.T, got []string, want string) {
	t.Helper()
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), want)
	}
}

// A statement that ends in a -- comment with no newline after it does not
// swallow the statements joined after it.
func TestBatchedScriptTrailingComment(t *testing.T) {
	got, stopped := replayText(t, "-- checktest: tx=implicit\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n-- checktest: down\nDROP TABLE b -- the second\n;DROP TABLE a -- the first", time.Minute)
	if len(got) != 0 || stopped != "" {
		t.Errorf("findings: %v; stopped: %q", got, stopped)
	}
}

// replayDir replays the migrations of dir, in one part or (with at) in a
// part more from each migration in at, with a trace; it returns the
// findings and traced statements without their timings, where the second
// part began and how many parts were kept.
func replayDir(t *testing.T, dir string, at ...int) (findings, statements []string, parallel, parts int) {
	t.Helper()
	ctx := context.Background()
	srv := shared.Server(t)
	_, ms, err := migrations.Discover(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	url, parsed := prepare(t, srv, ms)
	tr := trace.New(parsed)
	o := replay.Options{Parsed: parsed, StatementTimeout: time.Minute, Hooks: tr.Hooks}
	if len(at) > 0 {
		o.Parallel = &replay.Parallel{At: at, Hooks: tr.Parallel, Database: databases(srv)}
	}
	rep, err := replay.Run(ctx, url, ms, o)
	if err != nil {
		t.Fatal(err)
	}
	held := regexp.MustCompile(`held [0-9.]+[µm]?s`)
	for _, f := range tr.Merge(rep.Findings) {
		findings = append(findings, fmt.Sprintf("%s %s %s: %s", f.Location, f.Direction, f.Rule, held.ReplaceAllString(f.Message, "held X")))
	}
	for _, st := range tr.Statements() {
		statements = append(statements, fmt.Sprintf("%s %s:%d %q locks=%v rewrites=%v lock_timeout=%q observed=%v",
			st.Migration, st.File, st.Line, st.Statement, st.Locks, st.Rewrites, st.LockTimeout, st.LocksObserved))
	}
	if rep.Stopped != "" {
		findings = append(findings, "stopped: "+rep.Stopped)
	}
	return findings, statements, rep.Parallel, rep.Parts
}

// databases makes the later parts' databases on srv.
func databases(srv testdb.Server) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		db, err := srv.CreateDatabase(ctx)
		if err != nil {
			return "", err
		}
		return db.URL(), nil
	}
}

// sameInTwoParts replays dir in one part, then in two from migration at,
// and fails the test unless both give the same findings and trace; it
// returns the findings and where the second part's findings began.
func sameInTwoParts(t *testing.T, dir string, at int) ([]string, int) {
	t.Helper()
	findings, kept, _ := sameInParts(t, dir, at)
	return findings, kept
}

// sameInParts replays dir in one part, then in a part more from each
// migration in at, and fails the test unless both give the same findings
// and trace; it returns the findings, where the second part's findings
// began and how many parts' findings were kept.
func sameInParts(t *testing.T, dir string, at ...int) ([]string, int, int) {
	t.Helper()
	seqF, seqS, _, _ := replayDir(t, dir)
	parF, parS, kept, parts := replayDir(t, dir, at...)
	if d := cmp.Diff(seqF, parF); d != "" {
		t.Errorf("findings differ (-one part +%d parts):\n%s", len(at)+1, d)
	}
	if d := cmp.Diff(seqS, parS); d != "" {
		t.Errorf("traced statements differ (-one part +%d parts):\n%s", len(at)+1, d)
	}
	return seqF, kept, parts
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A history replayed in two parts at once gives the findings and the
// trace of the replay in one part, statement for statement.
func TestParallelSameAsSequential(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 60); err != nil {
		t.Fatal(err)
	}
	// A finding in each part: a down that does not revert, one that fails.
	if err := os.WriteFile(filepath.Join(dir, "000010_validate_t0006.down.sql"), []byte("DROP VIEW v0010;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	downs, err := filepath.Glob(filepath.Join(dir, "000040_*.down.sql"))
	if err != nil || len(downs) != 1 {
		t.Fatalf("the corpus's migration 40: %v %v", downs, err)
	}
	f, err := os.OpenFile(downs[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("DROP TABLE nope;\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	seqF, at := sameInTwoParts(t, dir, 30)
	if at != 30 {
		t.Errorf("the second part's findings were not kept (Parallel = %d)", at)
	}
	if !slices.ContainsFunc(seqF, func(f string) bool { return strings.Contains(f, "down-not-reverting") }) ||
		!slices.ContainsFunc(seqF, func(f string) bool { return strings.Contains(f, "down-fails") }) {
		t.Errorf("want a down-not-reverting and a down-fails finding, got:\n%s", strings.Join(seqF, "\n"))
	}
}

// When the first part leaves the database in another state than a plain
// pass of its ups would (a down that leaves rows behind, a session setting),
// the second part's findings are not used: the rest is replayed after the
// first part, as in one part.
func TestParallelStateDiffers(t *testing.T) {
	for name, m2 := range map[string][2]string{
		"rows":    {"INSERT INTO t VALUES (1);\n", "SELECT 1;\n"},
		"setting": {"SELECT 1;\n", "SET lock_timeout = '7s';\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"1_t.up.sql": "CREATE TABLE t (id int);\n", "1_t.down.sql": "DROP TABLE t;\n",
				"2_m.up.sql": m2[0], "2_m.down.sql": m2[1],
				"3_pk.up.sql": "ALTER TABLE t ADD PRIMARY KEY (id);\n", "3_pk.down.sql": "ALTER TABLE t DROP CONSTRAINT t_pkey;\n",
			})
			if _, at := sameInTwoParts(t, dir, 2); at != 0 {
				t.Errorf("the second part's findings were kept, from migration %d", at)
			}
		})
	}
}

// A history in three parts gives the findings and trace of one part, and
// where two parts meet in different states, the part before replays the
// rest: the parts before that are kept.
func TestParallelThreeParts(t *testing.T) {
	t.Run("same state", func(t *testing.T) {
		dir := t.TempDir()
		if err := corpus.Write(dir, 45); err != nil {
			t.Fatal(err)
		}
		// A finding in the last part: a down that does not revert.
		if err := os.WriteFile(filepath.Join(dir, "000035_validate_t0031.down.sql"), []byte("SELECT 1;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		seqF, at, parts := sameInParts(t, dir, 15, 30)
		if at != 15 || parts != 3 {
			t.Errorf("kept the parts from migration %d, %d parts; want 15, 3", at, parts)
		}
		if !slices.ContainsFunc(seqF, func(f string) bool { return strings.Contains(f, "000035") }) {
			t.Errorf("want a finding on migration 35, got:\n%s", strings.Join(seqF, "\n"))
		}
	})
	files := map[string]string{
		"1_t.up.sql": "CREATE TABLE t (id int);\n", "1_t.down.sql": "DROP TABLE t;\n",
		"2_u.up.sql": "CREATE TABLE u (id int);\n", "2_u.down.sql": "DROP TABLE u;\n",
		"3_v.up.sql": "CREATE TABLE v (id int);\n", "3_v.down.sql": "DROP TABLE v;\n",
		"4_w.up.sql": "CREATE TABLE w (id int);\n", "4_w.down.sql": "DROP TABLE w;\n",
		"5_x.up.sql": "CREATE TABLE x (id int);\n", "5_x.down.sql": "DROP TABLE x;\n",
		"6_y.up.sql": "CREATE TABLE y (id int);\n", "6_y.down.sql": "DROP TABLE y;\n",
	}
	for name, c := range map[string]struct {
		up, sql   string // added to an up script
		at, parts int
	}{
		// An up whose down leaves its row behind: up, down and up leave
		// two rows, the next part's fast pass one.
		"second meeting differs": {"4_w.up.sql", "INSERT INTO t VALUES (1);\n", 2, 2},
		"first meeting differs":  {"2_u.up.sql", "INSERT INTO t VALUES (1);\n", 0, 1},
		// The later migrations cannot be replayed: nor the third part used.
		"second part stops": {"3_v.up.sql", "SELECT 1/0;\n", 2, 2},
	} {
		t.Run(name, func(t *testing.T) {
			fs := maps.Clone(files)
			fs[c.up] += c.sql
			dir := writeFiles(t, fs)
			if _, at, parts := sameInParts(t, dir, 2, 4); at != c.at || parts != c.parts {
				t.Errorf("kept the parts from migration %d, %d parts; want %d, %d", at, parts, c.at, c.parts)
			}
		})
	}
}

// A history whose SQL may reach what the server's databases share is
// replayed in one part; a table named "user" is not such SQL.
func TestParallelNotForSharedObjects(t *testing.T) {
	for up, want := range map[string]int{
		"DO $$ BEGIN PERFORM 'ROLE'; END $$;\n":   0,
		"SELECT pg_catalog.pg_reload_conf();\n":   0,
		"CREATE TABLE \"user\" (id int);\n":       2,
		"CREATE VIEW v AS SELECT current_user;\n": 2,
	} {
		down := "SELECT 1;\n"
		if strings.HasPrefix(up, "CREATE TABLE") {
			down = "DROP TABLE \"user\";\n"
		} else if strings.HasPrefix(up, "CREATE VIEW") {
			down = "DROP VIEW v;\n"
		}
		t.Run(up, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"1_t.up.sql": "CREATE TABLE t (id int);\n", "1_t.down.sql": "DROP TABLE t;\n",
				"2_m.up.sql": up, "2_m.down.sql": down,
				"3_u.up.sql": "CREATE TABLE u (id int);\n", "3_u.down.sql": "DROP TABLE u;\n",
			})
			if _, at := sameInTwoParts(t, dir, 2); at != want {
				t.Errorf("the second part's findings were kept from migration %d, want %d", at, want)
			}
		})
	}
}

// Sent with BEGIN before it, a failing first statement is still reported
// at the column PostgreSQL points to in it; a deferred constraint that
// fails at the COMMIT sent with the last statement fails the migration
// (and a down's, where no trace watches), and a statement observed alone in a BEGIN/COMMIT of its own is reported
// at its own line.
func TestTracedMessages(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"first statement of a transaction", `-- checktest: tx=wrapped
CREATE TABLE a (id int);
-- checktest: next
SELECT id, nope FROM a;
CREATE TABLE b (id int);
`, `4:12 up-fails: up migration fails: column "nope" does not exist`},
		{"deferred at the last statement", `-- checktest: tx=wrapped
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
-- checktest: next
INSERT INTO c VALUES (1);
CREATE TABLE d (id int);
`, `6:1 up-fails: up migration fails: at the COMMIT after the last statement: insert or update on table "c" violates foreign key constraint "c_p_fkey"`},
		{"deferred in a down, batched", `-- checktest: tx=wrapped
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
-- checktest: down
INSERT INTO c VALUES (1);
CREATE TABLE z (id int);
`, `6:1 down-fails: down migration fails: at the COMMIT after the last statement:`},
		{"deferred, observed alone", `-- checktest: tx=none
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
-- checktest: next
INSERT INTO c VALUES (1);
`, `5:1 up-fails: up migration fails: insert or update on table "c" violates foreign key constraint "c_p_fkey"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _ := replayTraced(t, c.text)
			if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
				t.Errorf("findings:\n  %s\nwant one that begins:\n  %s", strings.Join(got, "\n  "), c.want)
			}
		})
	}
}

// A panic in a later part (a bug) does not end the process from the part's
// goroutine, where no deferred clean-up (the throwaway databases) would
// run: the part fails, and is not used, as a part that meets the one
// before in another state; the first part replays the rest.
func TestParallelPartPanics(t *testing.T) {
	ctx := context.Background()
	srv := shared.Server(t)
	dir := writeFiles(t, map[string]string{
		"1_t.up.sql": "CREATE TABLE t (id int);\n", "1_t.down.sql": "DROP TABLE t;\n",
		"2_u.up.sql": "CREATE TABLE u (id int);\n", "2_u.down.sql": "DROP TABLE u;\n",
	})
	_, ms, err := migrations.Discover(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	url, parsed := prepare(t, srv, ms)
	o := replay.Options{Parsed: parsed, Parallel: &replay.Parallel{At: []int{1},
		Hooks: func() (func(*migrations.Migration) replay.Hooks, func()) {
			return func(*migrations.Migration) replay.Hooks { panic("boom") }, func() {}
		},
		Database: databases(srv)}}
	rep, err := replay.Run(ctx, url, ms, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Replayed != 2 || rep.Parallel != 0 || len(rep.Findings) != 0 {
		t.Errorf("replayed %d, the later part kept from %d, findings %v; want 2 replayed in the first part, none", rep.Replayed, rep.Parallel, rep.Findings)
	}
}
