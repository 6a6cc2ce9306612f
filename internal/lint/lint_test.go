package lint_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// A parser panic (a bug: here, bounds past the file's end) is a finding
// at the script, not the end of the process, whose deferred clean-up (the
// throwaway server) would not run from a parse worker.
func TestParsePanicIsAFinding(t *testing.T) {
	f := sqlparse.NewFile("db/1_a.up.sql", "CREATE TABLE a (id int);\n")
	ms := []migrations.Migration{{ID: "1", Name: "a", Format: "golang-migrate",
		Up: &migrations.Script{File: f, Start: 100, End: 200}}}
	res, err := lint.Run(context.Background(), ms, lint.Options{PGVersion: 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "syntax-error" || !strings.Contains(res.Findings[0].Message, "internal error") {
		t.Errorf("findings %+v; want one syntax-error that says it is an internal error", res.Findings)
	}
}
