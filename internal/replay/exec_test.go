package replay_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemagate/schemagate/checks/checktest"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/replay"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/testdb"
)

// The server is started on first use and stopped by TestMain;
// SCHEMAGATE_TEST_DATABASE_URL points the tests at an existing one. A test
// that cannot get a server fails: it never skips.
var (
	serverOnce sync.Once
	server     testdb.Server
	serverErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if server != nil {
		if err := server.Close(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

func testServer(t testing.TB) testdb.Server {
	t.Helper()
	serverOnce.Do(func() {
		ctx := context.Background()
		if url := os.Getenv("SCHEMAGATE_TEST_DATABASE_URL"); url != "" {
			server, serverErr = testdb.OpenURL(ctx, url)
		} else {
			server, serverErr = testdb.StartLocal(ctx, testdb.Options{})
		}
	})
	if serverErr != nil {
		t.Fatalf("start PostgreSQL for the tests: %v", serverErr)
	}
	return server
}

// replayText replays the checktest-annotated text in a fresh database and
// returns the findings as "line:column rule: message" and why it stopped.
func replayText(t *testing.T, text string, timeout time.Duration) ([]string, string) {
	t.Helper()
	ctx := context.Background()
	srv := testServer(t)
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
	rep, err := replay.Run(ctx, db.URL(), ms, replay.Options{Parsed: parsed, StatementTimeout: timeout})
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

// A statement that ends in a -- comment with no newline after it does not
// swallow the statements joined after it.
func TestBatchedScriptTrailingComment(t *testing.T) {
	got, stopped := replayText(t, "-- checktest: tx=implicit\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n-- checktest: down\nDROP TABLE b -- the second\n;DROP TABLE a -- the first", time.Minute)
	if len(got) != 0 || stopped != "" {
		t.Errorf("findings: %v; stopped: %q", got, stopped)
	}
}
