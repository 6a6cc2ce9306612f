// Package lint runs the static half of the pipeline: it parses every script
// of the discovered migrations with pg_query, runs the rules of package
// checks over them, and knows the suppression comments that apply to the
// findings of every phase.
package lint

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Options configure a lint run.
type Options struct {
	// PGVersion is the major PostgreSQL version the rules assume.
	PGVersion int
	// Rules to run; nil means every lint rule.
	Rules []*checks.Rule
}

// Result is what the lint learned: its findings (default severities, no
// suppression applied yet), the parse of every script for later phases,
// and the suppression comments found.
type Result struct {
	Findings     []finding.Finding
	Parsed       map[*migrations.Script]*sqlparse.Script
	Suppressions *Suppressions
}

// Run lints ms.
func Run(ctx context.Context, ms []migrations.Migration, opts Options) (*Result, error) {
	rules := opts.Rules
	if rules == nil {
		rules = checks.LintRules()
	}
	parsed, err := parseAll(ctx, ms)
	if err != nil {
		return nil, err
	}
	fs, err := checks.Check(ms, func(s *migrations.Script) *sqlparse.Script { return parsed[s] }, rules, opts.PGVersion)
	if err != nil {
		return nil, err
	}
	res := &Result{Findings: fs, Parsed: parsed, Suppressions: newSuppressions()}
	for _, ps := range parsed {
		res.Suppressions.addScript(ps)
	}
	return res, nil
}

func scripts(m *migrations.Migration) []*migrations.Script {
	var out []*migrations.Script
	for _, s := range []*migrations.Script{m.Up, m.Down} {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// parseAll parses every script on all cores: parsing is the costly part of
// the lint, and scripts are independent.
func parseAll(ctx context.Context, ms []migrations.Migration) (map[*migrations.Script]*sqlparse.Script, error) {
	var all []*migrations.Script
	for i := range ms {
		all = append(all, scripts(&ms[i])...)
	}
	results := make([]*sqlparse.Script, len(all))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s := all[i]
				results[i] = sqlparse.Parse(s.File, s.Start, s.End)
			}
		}()
	}
	var cancelled error
feed:
	for i := range all {
		select {
		case work <- i:
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		}
	}
	close(work)
	wg.Wait()
	if cancelled != nil {
		return nil, fmt.Errorf("parse migrations: %w", cancelled)
	}
	out := make(map[*migrations.Script]*sqlparse.Script, len(all))
	for i, s := range all {
		out[s] = results[i]
	}
	return out, nil
}

// Discovery turns what discovery found wrong into findings: files that could
// not be loaded (syntax-error at their line) and duplicate versions.
func Discovery(ms []migrations.Migration, loadErr error) []finding.Finding {
	var out []finding.Finding
	var le *migrations.LoadErrors
	if errors.As(loadErr, &le) {
		for _, fe := range le.Files {
			out = append(out, finding.Finding{
				Rule: "syntax-error", Severity: finding.Error, Phase: finding.Lint,
				Location: finding.Location{File: fe.Path, Line: fe.Line, Column: col(fe.Line), EndLine: fe.Line},
				Message:  fe.Err.Error(),
				Help:     "fix the file so that the migration tool can read it; schemagate reads it the same way",
			})
		}
	}
	for _, d := range migrations.Duplicates(ms) {
		loc, excerpt := checks.Locate(d.Again.Up, d.Again.Up.Start, nil)
		out = append(out, finding.Finding{
			Rule: "duplicate-version", Severity: finding.Error, Phase: finding.History,
			Migration: d.ID, Location: finding.Location{File: loc.File, Line: 1, Column: 1, EndLine: 1},
			Excerpt: excerpt,
			Message: fmt.Sprintf("version %s is used by both %s and %s: the migration tool applies only one of them, or refuses to run",
				d.ID, d.First.Up.Path(), d.Again.Up.Path()),
			Help: "give the newer migration a version of its own",
		})
	}
	return out
}

func col(line int) int {
	if line > 0 {
		return 1
	}
	return 0
}
