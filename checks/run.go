package checks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Parsed gives the parse of a script; the caller parses (in parallel, and
// once for every phase that needs statements).
type Parsed func(*migrations.Script) *sqlparse.Script

// Check runs the lint rules over the migrations, in order, and returns their
// findings with the rules' default severities. Suppressions and the
// config's severities are applied by the caller, for every phase at once.
func Check(ms []migrations.Migration, parsed Parsed, rules []*Rule, pgVersion int) ([]finding.Finding, error) {
	schema := NewSchema()
	var out []finding.Finding
	for i := range ms {
		m := &ms[i]
		if m.Up == nil {
			continue
		}
		up, upFacts, err := checkScript(m, finding.Up, m.Up, parsed(m.Up), nil, rules, pgVersion, schema, &out)
		if err != nil {
			return nil, err
		}
		if m.Down != nil {
			schema.noteIndexes(up)
			created := map[string]bool{}
			for k := range upFacts.created {
				created[k] = true
			}
			if _, _, err := checkScript(m, finding.Down, m.Down, parsed(m.Down), created, rules, pgVersion, schema, &out); err != nil {
				return nil, err
			}
		}
		schema.Apply(up)
	}
	return out, nil
}

func checkScript(m *migrations.Migration, dir finding.Direction, s *migrations.Script, ps *sqlparse.Script,
	upCreated map[string]bool, rules []*Rule, pgVersion int, schema *Schema, out *[]finding.Finding) ([]*Stmt, *facts, error) {
	stmts, f := prepare(s, ps, upCreated)
	for _, r := range rules {
		p := &Pass{
			Rule: r, Migration: m, Direction: dir, Script: s, Statements: stmts,
			PGVersion: pgVersion, Schema: schema, Parsed: ps, facts: f,
		}
		p.report = func(d Diagnostic) { *out = append(*out, toFinding(p, d)) }
		p.known = func(id string) bool { return Lookup(id) != nil }
		if err := r.Run(p); err != nil {
			return nil, nil, fmt.Errorf("rule %s on %s: %w", r.ID, s.Path(), err)
		}
	}
	return stmts, f, nil
}

// toFinding places a diagnostic in its file, or at the source line that
// generated the SQL (Alembic).
func toFinding(p *Pass, d Diagnostic) finding.Finding {
	help := d.Help
	if help == "" {
		help = p.Rule.Doc.Help
	}
	f := finding.Finding{
		Rule: p.Rule.ID, Severity: p.Rule.Severity, Phase: finding.Lint,
		Migration: p.Migration.ID, Direction: p.Direction,
		Message: d.Message, Help: help,
	}
	f.Location, f.Excerpt = Locate(p.Script, d.Pos, d.Statement)
	return f
}

// Locate maps a file offset inside statement st (nil when there is none) of
// script s to a finding location and the source line to show.
func Locate(s *migrations.Script, pos int, st *sqlparse.Statement) (finding.Location, string) {
	file := s.File
	if o := origin(s, pos); o != nil {
		return LocateOrigin(o)
	}
	at := file.Position(pos)
	loc := finding.Location{File: file.Path, Line: at.Line, Column: at.Col, EndLine: at.Line}
	if st != nil {
		loc.EndLine = max(at.Line, file.Position(st.End).Line)
	}
	return loc, file.LineText(at.Line)
}

// LocateOrigin is the location of a source line that generated SQL, at
// its first non-blank character, and the line to show.
func LocateOrigin(o *migrations.Origin) (finding.Location, string) {
	col := 1 + utf8.RuneCountInString(o.Text) - utf8.RuneCountInString(strings.TrimLeft(o.Text, " \t"))
	return finding.Location{File: o.Path, Line: o.Line, Column: col, EndLine: o.Line}, o.Text
}

func origin(s *migrations.Script, pos int) *migrations.Origin {
	var o *migrations.Origin
	for i := range s.Origins {
		if s.Origins[i].Offset > pos {
			break
		}
		o = &s.Origins[i]
	}
	return o
}
