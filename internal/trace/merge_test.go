package trace

import (
	"strings"
	"testing"
	"time"

	"github.com/schemagate/schemagate/internal/finding"
)

func TestParseRelations(t *testing.T) {
	rels := "16385 r 16385 12 public.users" + "16390 i 16390 17 public.users_pkey" +
		"16400 r 16401 21 \"Sales\".\"a b\nc größe\"" + "16402 v 0 8 public.v"
	pre, err := parseRelations(rels, "16390 16385")
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]rel{
		16385: {oid: 16385, name: "public.users", kind: 'r', file: 16385},
		16390: {oid: 16390, name: "public.users_pkey", kind: 'i', file: 16390, table: 16385},
		16400: {oid: 16400, name: "\"Sales\".\"a b\nc größe\"", kind: 'r', file: 16401},
		16402: {oid: 16402, name: "public.v", kind: 'v'},
	}
	if len(pre) != len(want) {
		t.Fatalf("got %d relations, want %d", len(pre), len(want))
	}
	for oid, w := range want {
		if got := pre[oid]; got == nil || *got != w {
			t.Errorf("relation %d: got %+v, want %+v", oid, got, w)
		}
	}
	if _, err := parseRelations("16385 r 16385 40 public.users", ""); err == nil {
		t.Error("a name shorter than its length: no error")
	}
}

// Statements the trace did not see keep their findings; what the trace
// says twice on one line is said once.
func TestMergeUnit(t *testing.T) {
	st := func(line, col, endCol int, locks ...Lock) StatementTrace {
		return StatementTrace{Migration: "2", File: "m.sql", Line: line, Column: col, EndLine: line, endCol: endCol,
			Locks: locks, LockTimeout: "0", Held: 3 * time.Millisecond, LocksObserved: true}
	}
	ae := func(rel string) Lock {
		return Lock{Relation: rel, Mode: "ACCESS EXCLUSIVE", Blocks: "reads and writes"}
	}
	traced := []StatementTrace{
		st(3, 1, 20, ae("public.a")),
		st(3, 21, 40, ae("public.b")),
		st(5, 1, 30, Lock{Relation: "public.a", Mode: "ROW EXCLUSIVE"}),
	}
	static := []finding.Finding{
		{Rule: "set-not-null", Severity: finding.Error, Phase: finding.Lint, Migration: "2", Direction: finding.Up,
			Location: finding.Location{File: "m.sql", Line: 5, Column: 3}, Message: "set not null"},
		{Rule: "set-not-null", Severity: finding.Error, Phase: finding.Lint, Migration: "1", Direction: finding.Up,
			Location: finding.Location{File: "m.sql", Line: 3, Column: 3}, Message: "other migration"},
		{Rule: "add-column-rewrite", Severity: finding.Error, Phase: finding.Lint, Migration: "2", Direction: finding.Down,
			Location: finding.Location{File: "m.sql", Line: 3, Column: 3}, Message: "down script"},
	}
	got := Merge(static, traced, 16)
	var msgs []string
	for _, f := range got {
		msgs = append(msgs, f.Rule+" "+f.Severity.String()+": "+f.Message)
	}
	want := []string{
		"set-not-null error: set not null", // took no blocking lock: left as it is
		"set-not-null error: other migration",
		"add-column-rewrite error: down script",
		"blocking-lock warning: took an ACCESS EXCLUSIVE lock on public.a, which blocks reads and writes; held 3ms in the replay, until its transaction ended; no lock_timeout was set" +
			"; took an ACCESS EXCLUSIVE lock on public.b, which blocks reads and writes; held 3ms in the replay, until its transaction ended; no lock_timeout was set",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// A type change the replay did not rewrite is lowered to a notice, but not
// timestamp to timestamptz: PostgreSQL skips that rewrite only where the
// session's TimeZone is UTC, as the replay's may be and production's not.
func TestMergeZoneDependentRewrite(t *testing.T) {
	traced := []StatementTrace{{Migration: "2", File: "m.sql", Line: 2, Column: 1, EndLine: 2, endCol: 60, LockTimeout: "1s", LocksObserved: true,
		Locks: []Lock{{Relation: "public.t", Mode: "ACCESS EXCLUSIVE", Blocks: "reads and writes"}}}}
	for _, tc := range []struct {
		to   string
		want finding.Severity
	}{
		{"timestamptz (from timestamp)", finding.Error},
		{"timestamp (from timestamp with time zone)", finding.Error},
		{"timestamptz(6) (from timestamptz(0))", finding.Notice}, // no zone change
		{"text (from varchar(10))", finding.Notice},
	} {
		static := []finding.Finding{{Rule: "change-column-type", Severity: finding.Error, Phase: finding.Lint, Migration: "2", Direction: finding.Up,
			Location: finding.Location{File: "m.sql", Line: 2, Column: 28}, Message: `ALTER COLUMN "t"."c" TYPE ` + tc.to + ` rewrites the table`}}
		got := Merge(static, traced, 15)
		if got[0].Severity != tc.want {
			t.Errorf("to %s: %s, want %s: %s", tc.to, got[0].Severity, tc.want, got[0].Message)
		}
		if tc.want == finding.Error && !strings.Contains(got[0].Message, "TimeZone is UTC") {
			t.Errorf("to %s: the message does not say why the claim stands: %s", tc.to, got[0].Message)
		}
	}
}
