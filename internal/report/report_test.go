package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemagate/schemagate/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	file2 = "migrations/000002_add_users_email.up.sql"
	file3 = "migrations/000003_rename,with:colon.up.sql"
	file4 = "migrations/000004_café.up.sql"
)

// testReport is one report that every format is tested on: errors, warnings
// and a notice; a finding with no line, findings without a file (one with a
// migration, one without), a multi-line excerpt with tabs, non-ASCII text,
// and a message and paths with characters workflow commands must escape.
func testReport() *Report {
	fs := []finding.Finding{
		{
			Rule: "create-index-non-concurrently", Severity: finding.Error, Phase: finding.Lint,
			Migration: "000002", Direction: finding.Up,
			Location: finding.Location{File: file2, Line: 3, Column: 1, EndLine: 3},
			Message:  `CREATE INDEX on existing table "users" blocks writes until it finishes`,
			Help:     "CREATE INDEX CONCURRENTLY ... in a migration of its own, outside a transaction",
			Excerpt:  "CREATE INDEX users_email ON users (email);",
		},
		{
			Rule: "set-not-null", Severity: finding.Error, Phase: finding.Lint,
			Migration: "000002", Direction: finding.Up,
			Location: finding.Location{File: file2, Line: 9, Column: 3, EndLine: 10},
			Message:  `SET NOT NULL on "users"."email" scans the table under an ACCESS EXCLUSIVE lock`,
			Help:     "add CHECK (email IS NOT NULL) NOT VALID, VALIDATE it in a later migration,\nthen SET NOT NULL",
			Excerpt:  "\t\tALTER TABLE users\n\t\t\tALTER COLUMN email SET NOT NULL;\n",
		},
		{
			Rule: "down-missing", Severity: finding.Warning, Phase: finding.Replay,
			Migration: "000003", Direction: finding.Down,
			Location: finding.Location{File: file3},
			Message:  "migration 000003 has no down script",
			Help:     "add a down script that reverts the up script",
		},
		{
			Rule: "prefer-text", Severity: finding.Notice, Phase: finding.Lint,
			Migration: "000003", Direction: finding.Up,
			Location: finding.Location{File: file3, Line: 2, Column: 40, EndLine: 2},
			Message:  `column "discount" is varchar(4) to hold values like "10%"`,
			Help:     "use text, with a CHECK constraint if the length matters",
			Excerpt:  "ALTER TABLE orders ADD COLUMN discount varchar(4);",
		},
		{
			Rule: "delete-without-where", Severity: finding.Error, Phase: finding.Lint,
			Migration: "000004", Direction: finding.Up,
			Location: finding.Location{File: file4, Line: 1, Column: 36, EndLine: 1},
			Message:  `DELETE without WHERE removes every row of "Bücher"`,
			Help:     "add a WHERE clause; to empty the table on purpose: -- schemagate:ignore delete-without-where",
			Excerpt:  `INSERT INTO "Bücher" VALUES ('表'); DELETE FROM "Bücher";`,
		},
		{
			Rule: "models-drift", Severity: finding.Error, Phase: finding.Models,
			Message: "column \"users\".\"email\" differs from the models:\n  models: text NOT NULL\n  schema: character varying(255)",
		},
		{
			Rule: "blocking-lock", Severity: finding.Warning, Phase: finding.Trace,
			Migration: "000002", Direction: finding.Up,
			Message: `ACCESS EXCLUSIVE lock on "users" blocks reads and writes`,
		},
	}
	finding.Sort(fs)
	return &Report{
		Tool:        "schemagate",
		ToolVersion: "1.2.3-test",
		Migrations: []Migration{
			{ID: "000001", Name: "create_users", Up: "migrations/000001_create_users.up.sql", Down: "migrations/000001_create_users.down.sql"},
			{ID: "000002", Name: "add_users_email", Up: file2, Down: "migrations/000002_add_users_email.down.sql"},
			{ID: "000003", Name: "rename,with:colon", Up: file3},
			{ID: "000004", Name: "café", Up: file4, Down: "migrations/000004_café.down.sql"},
		},
		Findings: fs,
		Rules: []Rule{
			{ID: "blocking-lock", Severity: finding.Warning, Phase: finding.Trace, Title: "Locks that block reads or writes",
				Text: "The statement took a lock that blocks reads or writes of a table that existed before the migration.",
				Help: "split the migration, or take the lock with a short lock_timeout"},
			{ID: "create-index-non-concurrently", Severity: finding.Error, Phase: finding.Lint, Title: "Create indexes concurrently",
				Text: "CREATE INDEX takes a SHARE lock, which blocks INSERT, UPDATE and DELETE until the index is built.",
				Help: "CREATE INDEX CONCURRENTLY ... in a migration of its own, outside a transaction", Examples: true},
			{ID: "delete-without-where", Severity: finding.Error, Phase: finding.Lint, Title: "DELETE without WHERE",
				Text: "A DELETE without WHERE removes every row.", Examples: true},
			{ID: "down-missing", Severity: finding.Warning, Phase: finding.Replay, Title: "Migrations have a down script",
				Text: "Without a down script the migration cannot be rolled back.", Help: "add a down script"},
			{ID: "drop-table", Severity: finding.Error, Phase: finding.Lint, Title: "Dropping a table loses its data",
				Text: "DROP TABLE deletes the table and its data; running code that still uses it fails.",
				Help: "stop using the table first, then drop it in a later release", Examples: true},
			{ID: "models-drift", Severity: finding.Error, Phase: finding.Models, Title: "The schema matches the models",
				Text: "After every migration the schema differs from what the models expect."},
			{ID: "prefer-text", Severity: finding.Notice, Phase: finding.Lint, Title: "Prefer text to varchar(n)",
				Text: "varchar(n) is no faster than text, and changing n later may rewrite the table.",
				Help: "use text, with a CHECK constraint if the length matters", Examples: true},
			{ID: "set-not-null", Severity: finding.Error, Phase: finding.Lint, Title: "SET NOT NULL scans the table",
				Text: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.",
				Help: "add a validated CHECK (col IS NOT NULL) first; PostgreSQL 12+ then skips the scan", Examples: true},
		},
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		format string
		opts   Options
	}{
		{"text.golden", "text", Options{}},
		{"text_color.golden", "text", Options{Color: true}},
		{"json.golden", "json", Options{}},
		{"sarif.golden", "sarif", Options{}},
		{"github.golden", "github", Options{}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.format, testReport(), tc.opts); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, buf.Bytes())
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "xml", testReport(), Options{}); err == nil {
		t.Error("Write(xml) = nil, want an error")
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteError(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			if err := Write(failWriter{}, format, testReport(), Options{}); err == nil {
				t.Errorf("Write(%s) to a failing writer = nil, want an error", format)
			}
		})
	}
}
