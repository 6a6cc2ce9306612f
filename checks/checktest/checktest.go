// Package checktest runs rules over SQL files annotated with the findings
// they must produce, in the manner of go/analysis's analysistest.
//
// Each .sql file in a directory is one or more migrations:
//
//	-- checktest: pg=10 tx=none          options for the whole file (optional)
//	CREATE INDEX i ON users (email); -- want: create-index-non-concurrently "blocks writes"
//	-- want+1: drop-table
//	DROP TABLE old;
//	-- checktest: down                   what follows is the down script
//	...
//	-- checktest: next                   what follows is the next migration
//
// A "want" comment holds rule ids, each optionally followed by a quoted
// regular expression that the message must match; "want+N" targets the
// line N lines below. Every finding must match an expectation on its line
// and every expectation must be met. Options: pg=N (default 16) and
// tx=wrapped|implicit|none (default none: statements run one by one, as
// psql runs a file, unless the SQL says BEGIN). Suppression comments apply
// as they do in the tool.
package checktest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/lint"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Run checks every .sql file in dir against rules.
func Run(t *testing.T, dir string, rules ...*checks.Rule) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata in %s", dir)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Lint(path, string(b), rules...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := expectations(path, string(b))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, got, want)
		})
	}
}

// Lint runs rules over one annotated file and returns the findings that no
// suppression comment covers.
func Lint(path, text string, rules ...*checks.Rule) ([]finding.Finding, error) {
	ms, pgVersion, err := Migrations(path, text)
	if err != nil {
		return nil, err
	}
	res, err := lint.Run(context.Background(), ms, lint.Options{PGVersion: pgVersion, Rules: rules})
	if err != nil {
		return nil, err
	}
	return res.Suppressions.Filter(res.Findings), nil
}

var directive = regexp.MustCompile(`(?m)^--\s*checktest:\s*(.*)$`)

// Migrations splits an annotated file into migrations at its checktest
// directives, and returns the PostgreSQL version it asks for.
func Migrations(path, text string) ([]migrations.Migration, int, error) {
	f := sqlparse.NewFile(path, text)
	pgVersion, tx := 16, migrations.TxNone
	var ms []migrations.Migration
	cur := &migrations.Migration{ID: "1", Name: "test", Format: "checktest"}
	script := &migrations.Script{File: f, Start: 0, Tx: tx}
	cur.Up = script
	finish := func(end int) {
		script.End = end
	}
	for _, loc := range directive.FindAllStringSubmatchIndex(text, -1) {
		args := strings.Fields(text[loc[2]:loc[3]])
		lineEnd := loc[1]
		switch {
		case len(args) == 1 && args[0] == "down":
			finish(loc[0])
			script = &migrations.Script{File: f, Start: lineEnd, Tx: tx}
			cur.Down = script
		case len(args) == 1 && args[0] == "next":
			finish(loc[0])
			ms = append(ms, *cur)
			cur = &migrations.Migration{ID: strconv.Itoa(len(ms) + 1), Name: "test", Position: len(ms), Format: "checktest"}
			script = &migrations.Script{File: f, Start: lineEnd, Tx: tx}
			cur.Up = script
		default:
			for _, a := range args {
				k, v, _ := strings.Cut(a, "=")
				switch k {
				case "pg":
					n, err := strconv.Atoi(v)
					if err != nil {
						return nil, 0, fmt.Errorf("%s: bad pg=%s", path, v)
					}
					pgVersion = n
				case "tx":
					switch v {
					case "wrapped":
						tx = migrations.TxWrapped
					case "implicit":
						tx = migrations.TxImplicit
					case "none":
						tx = migrations.TxNone
					default:
						return nil, 0, fmt.Errorf("%s: bad tx=%s", path, v)
					}
					script.Tx = tx
				default:
					return nil, 0, fmt.Errorf("%s: unknown checktest option %q", path, a)
				}
			}
		}
	}
	finish(len(text))
	ms = append(ms, *cur)
	return ms, pgVersion, nil
}

type expectation struct {
	line int
	rule string
	re   *regexp.Regexp
	met  bool
}

var (
	wantComment = regexp.MustCompile(`--\s*want(\+\d+)?:(.*)$`)
	wantAny     = regexp.MustCompile(`--\s*want\b`)
)

func expectations(path, text string) ([]*expectation, error) {
	var out []*expectation
	for i, line := range strings.Split(text, "\n") {
		m := wantComment.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil {
			if wantAny.MatchString(line) {
				return nil, fmt.Errorf("%s:%d: malformed want comment (use want: or want+N:)", path, i+1)
			}
			continue
		}
		target := i + 1
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1][1:])
			target += n
		}
		rest := strings.TrimSpace(m[2])
		if rest == "" {
			return nil, fmt.Errorf("%s:%d: want comment names no rule", path, i+1)
		}
		for rest != "" {
			var id string
			id, rest, _ = strings.Cut(rest, " ")
			rest = strings.TrimSpace(rest)
			e := &expectation{line: target, rule: id}
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: malformed want: %v", path, i+1, err)
				}
				s, _ := strconv.Unquote(q)
				if e.re, err = regexp.Compile(s); err != nil {
					return nil, fmt.Errorf("%s:%d: bad regexp: %v", path, i+1, err)
				}
				rest = strings.TrimSpace(rest[len(q):])
			}
			if checks.Lookup(id) == nil {
				return nil, fmt.Errorf("%s:%d: want names unknown rule %q", path, i+1, id)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func compare(t *testing.T, got []finding.Finding, want []*expectation) {
	t.Helper()
	sort.SliceStable(got, func(i, j int) bool { return got[i].Line < got[j].Line })
	for _, f := range got {
		ok := false
		for _, e := range want {
			if !e.met && e.line == f.Line && e.rule == f.Rule && (e.re == nil || e.re.MatchString(f.Message)) {
				e.met, ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("%s:%d:%d: unexpected finding %s: %s", f.File, f.Line, f.Column, f.Rule, f.Message)
		}
	}
	for _, e := range want {
		if !e.met {
			re := ""
			if e.re != nil {
				re = fmt.Sprintf(" matching %q", e.re)
			}
			t.Errorf("line %d: expected finding %s%s, got none", e.line, e.rule, re)
		}
	}
}
