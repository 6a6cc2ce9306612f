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
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

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
	// The rules walk the migrations in order while the parsers are still
	// working on later ones: each script's parse is waited for when the
	// rules reach it.
	p := startParsing(ctx, ms)
	fs, err := checks.Check(ms, p.wait, rules, opts.PGVersion)
	parsed, perr := p.finish()
	if perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Findings: fs, Parsed: parsed, Suppressions: newSuppressions()}
	sources := map[*sqlparse.File]bool{}
	for s, ps := range parsed {
		if s.Source == nil {
			res.Suppressions.addScript(ps)
		} else if !sources[s.Source] {
			// Generated SQL (Alembic): the ignores are in the source.
			sources[s.Source] = true
			ignores := res.Suppressions.addSource(s.Source)
			if slices.Contains(rules, checks.InvalidSuppression) {
				res.Findings = append(res.Findings, invalidIgnores(s.Source, ignores)...)
			}
		}
	}
	return res, nil
}

// invalidIgnores reports the "# schemagate:ignore" comments of a Python
// source that name no known rule, as checks.InvalidSuppression does for
// SQL comments.
func invalidIgnores(f *sqlparse.File, ignores []sqlparse.Ignore) []finding.Finding {
	r := checks.InvalidSuppression
	var out []finding.Finding
	for _, ig := range ignores {
		var bad []string
		for _, id := range ig.Rules {
			if checks.Lookup(id) == nil {
				bad = append(bad, fmt.Sprintf("%q", id))
			}
		}
		msg := ""
		switch {
		case len(ig.Rules) == 0:
			msg = "schemagate:ignore names no rule, so it ignores nothing"
		case len(bad) > 0:
			msg = fmt.Sprintf("schemagate:ignore names %s, which is not a rule", strings.Join(bad, ", "))
		default:
			continue
		}
		line := ig.Offset
		text := f.LineText(line)
		col := 1 + utf8.RuneCountInString(text[:strings.IndexByte(text, '#')])
		out = append(out, finding.Finding{
			Rule: r.ID, Severity: r.Severity, Phase: finding.Lint,
			Location: finding.Location{File: f.Path, Line: line, Column: col, EndLine: line},
			Excerpt:  text, Message: msg, Help: r.Doc.Help,
		})
	}
	return out
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

// parsing parses every script on all cores, in migration order: parsing
// is the costly part of the lint, and scripts are independent.
type parsing struct {
	index   map[*migrations.Script]int
	results []*sqlparse.Script
	done    []chan struct{}
	wg      sync.WaitGroup
	err     error
}

// parseScript parses s; should the parser panic (a bug), the script is
// one statement that does not parse, reported at its file and line, and
// the run goes on (a panic in this goroutine would end the process before
// the throwaway server is removed).
func parseScript(s *migrations.Script) (out *sqlparse.Script) {
	defer func() {
		if r := recover(); r != nil {
			start := min(s.Start, len(s.File.Text))
			end := min(max(s.End, start), len(s.File.Text))
			out = &sqlparse.Script{File: s.File, Statements: []*sqlparse.Statement{{
				Start: start, End: end, Text: s.File.Text[start:end],
				Err: &sqlparse.SyntaxError{Offset: start, Message: fmt.Sprintf("schemagate could not parse this script (an internal error, please report it: %v)", r)},
			}}}
		}
	}()
	return sqlparse.Parse(s.File, s.Start, s.End)
}

func startParsing(ctx context.Context, ms []migrations.Migration) *parsing {
	var all []*migrations.Script
	for i := range ms {
		all = append(all, scripts(&ms[i])...)
	}
	p := &parsing{
		index:   make(map[*migrations.Script]int, len(all)),
		results: make([]*sqlparse.Script, len(all)),
		done:    make([]chan struct{}, len(all)),
	}
	for i, s := range all {
		p.index[s] = i
		p.done[i] = make(chan struct{})
	}
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for i := range work {
				p.results[i] = parseScript(all[i])
				close(p.done[i])
			}
		}()
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(work)
		for i := range all {
			select {
			case work <- i:
			case <-ctx.Done():
				p.err = fmt.Errorf("parse migrations: %w", ctx.Err())
				// Unblock anyone waiting for a parse that will not come.
				for j := i; j < len(all); j++ {
					p.results[j] = &sqlparse.Script{File: all[j].File}
					close(p.done[j])
				}
				return
			}
		}
	}()
	return p
}

// wait returns the parse of s once it is ready.
func (p *parsing) wait(s *migrations.Script) *sqlparse.Script {
	i := p.index[s]
	<-p.done[i]
	return p.results[i]
}

// finish waits for every parser and returns all parses.
func (p *parsing) finish() (map[*migrations.Script]*sqlparse.Script, error) {
	p.wg.Wait()
	if p.err != nil {
		return nil, p.err
	}
	out := make(map[*migrations.Script]*sqlparse.Script, len(p.index))
	for s, i := range p.index {
		out[s] = p.results[i]
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
	if heads := migrations.Heads(ms); len(heads) > 1 {
		ids := make([]string, len(heads))
		for i, h := range heads {
			ids[i] = h.ID
		}
		// At the newest head: usually the revision a pull request added.
		h := heads[len(heads)-1]
		src := h.Up.Source
		out = append(out, finding.Finding{
			Rule: checks.MultipleHeads.ID, Severity: checks.MultipleHeads.Severity, Phase: finding.History,
			Migration: h.ID, Location: finding.Location{File: src.Path, Line: h.Revision.Line, Column: 1, EndLine: h.Revision.Line},
			Excerpt: src.LineText(h.Revision.Line),
			Message: fmt.Sprintf("the history has %d heads (%s): `alembic upgrade head` refuses to run until they are merged", len(heads), strings.Join(ids, ", ")),
			Help:    checks.MultipleHeads.Doc.Help,
		})
	}
	for _, d := range migrations.Duplicates(ms) {
		loc, excerpt := checks.Locate(d.Again.Up, d.Again.Up.Start, nil)
		loc = finding.Location{File: loc.File, Line: 1, Column: 1, EndLine: 1}
		if r := d.Again.Revision; r != nil {
			// At the revision id of the second file.
			loc = finding.Location{File: d.Again.Up.Source.Path, Line: r.Line, Column: 1, EndLine: r.Line}
			excerpt = d.Again.Up.Source.LineText(r.Line)
		}
		out = append(out, finding.Finding{
			Rule: "duplicate-version", Severity: finding.Error, Phase: finding.History,
			Migration: d.ID, Location: loc,
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
