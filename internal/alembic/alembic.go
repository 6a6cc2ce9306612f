// Package alembic gets the SQL of Alembic revisions from Alembic itself,
// and runs the revisions that need a live database connection.
//
// migrations.Alembic reads the revision graph without Python. Generate then
// runs an embedded helper (helper.py) once for the whole project: it loads
// the project's env.py in offline mode (Alembic's --sql) for every
// revision, up and down, and records each statement with the line of the
// revision file whose op. call emitted it (the helper walks the Python
// stack as Alembic writes a statement). The statements become each
// migration's scripts, with Origins mapping them back to those lines; the
// BEGIN and COMMIT that env.py's transaction and autocommit_block() emit
// are statements too, so a script runs, and is linted, exactly with
// Alembic's transactions.
package alembic

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/python"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

//go:embed helper.py
var helper []byte

// offlineURL is the database URL offline mode is given: it only picks the
// dialect; nothing connects to it.
const offlineURL = "postgresql://schemagate@localhost/schemagate"

// Project is an Alembic project whose revisions' SQL was generated.
type Project struct {
	py *python.Interpreter
	// dir is where Python runs (the project root, user path); ini and
	// scripts name alembic.ini ("" without one) and the script location
	// for the helper, relative to dir.
	dir, ini, scripts string
	// env is env.py, user path.
	env string
	// explicit is the --python flag, for Find with psycopg2 later.
	explicit string
	// steps are the revision and direction of each script; online marks
	// those that run online in the replay.
	steps  map[*migrations.Script]step
	online map[*migrations.Script]bool
	// extraEnv is added to the helper's environment.
	extraEnv []string
	// sources caches the project files read for their lines.
	sources map[string]*sqlparse.File
	// Failures are revisions that raised in offline mode although they do
	// not read the database: Alembic's --sql fails on them too.
	Failures []Failure
	// Partial are revisions that read the database (NeedsConnection) and
	// so raised offline where they first did: their SQL from there on is
	// not known, nor linted.
	Partial []Failure
}

type step struct{ revision, direction string }

// Failure is a revision that raised.
type Failure struct {
	Migration *migrations.Migration
	Direction string // "up" or "down"
	Err       *Error
}

// Error is a Python exception, at the innermost line of the project's own
// files in its traceback.
type Error struct {
	Path    string // "" when no frame is in the project
	Line    int
	Text    string // the source line
	Type    string // ModuleNotFoundError
	Message string
	// Via is the outermost project frame ("migrations/env.py:12"), when it
	// differs from Path.
	Via string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		fmt.Fprintf(&b, "%s:%d: ", e.Path, e.Line)
	}
	fmt.Fprintf(&b, "%s: %s", e.Type, e.Message)
	if e.Via != "" {
		fmt.Fprintf(&b, " (from %s)", e.Via)
	}
	if advice := e.advice(); advice != "" {
		b.WriteString(": " + advice)
	}
	return b.String()
}

// advice says what to do about the exception.
func (e *Error) advice() string {
	switch {
	case e.Type == "ModuleNotFoundError" || e.Type == "ImportError":
		return "install what the project imports into this Python, or name the interpreter that has it with --python"
	case strings.Contains(e.Message, "null bytes"):
		// A ValueError before Python 3.12, a SyntaxError since.
		return "remove the NUL byte: the file may be saved as UTF-16, or not be text"
	case e.Type == "SyntaxError" || e.Type == "IndentationError" || e.Type == "TabError":
		return "fix the Python there: Alembic cannot load the file either"
	case e.Path != "":
		return "fix the code there: `alembic upgrade --sql` fails the same way"
	}
	return ""
}

// Generate fills in the scripts of ms, loaded by migrations.Alembic from
// root (the path as the user gave it), with the SQL Alembic emits in
// offline mode.
func Generate(ctx context.Context, root, explicitPython string, ms []migrations.Migration) (*Project, error) {
	py, err := python.Find(ctx, explicitPython, "alembic", "sqlalchemy")
	if err != nil {
		return nil, fmt.Errorf("alembic: %w", err)
	}
	layout, err := migrations.Alembic{}.Layout(os.DirFS(root), ".")
	if err != nil {
		return nil, fmt.Errorf("alembic: %w", err)
	}
	p := &Project{py: py, dir: root, explicit: explicitPython, steps: map[*migrations.Script]step{}, online: map[*migrations.Script]bool{}, sources: map[string]*sqlparse.File{}}
	if layout.Ini != "" {
		p.ini, p.scripts = layout.Ini, layout.Scripts
		p.env = filepath.Join(root, filepath.FromSlash(layout.Scripts), "env.py")
	} else {
		p.env = filepath.Join(root, "env.py")
		// The script location itself: run from its parent, the usual
		// project root, so that env.py imports the application as it does
		// when Alembic runs from there.
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, err
		}
		p.dir, p.scripts = filepath.Join(root, ".."), abs
	}
	var out struct {
		Error     *pyError
		Revisions map[string]struct {
			File     string
			Up, Down *pyStep
		}
	}
	if err := p.run(ctx, offlineURL, &out, "offline"); err != nil {
		return nil, err
	}
	if out.Error != nil {
		e := p.pyError(out.Error)
		if e.Path != "" {
			return nil, e // path:line first, like every located error
		}
		return nil, fmt.Errorf("alembic offline mode: %w", e)
	}
	for i := range ms {
		// The revision files are read already.
		p.sources[ms[i].Up.Source.Path] = ms[i].Up.Source
	}
	for i := range ms {
		m := &ms[i]
		rev, ok := out.Revisions[m.ID]
		if !ok {
			hint := ""
			if layout.Recursive {
				hint = " (recursive_version_locations, which finds revisions in subdirectories, needs Alembic 1.10 or later)"
			}
			return nil, fmt.Errorf("%s: Alembic does not list revision %s%s", m.Up.Path(), m.ID, hint)
		}
		if !sameFile(filepath.Join(p.dir, filepath.FromSlash(rev.File)), m.Up.Source.Path) {
			// Another file with the same revision id, which Alembic
			// ignores (duplicate-version): no SQL of its own.
			rev.Up, rev.Down = nil, nil
		}
		var b strings.Builder
		up := p.script(m, m.Up, rev.Up, &b)
		upEnd := b.Len()
		if line := p.irreversible(m, rev.Down); line > 0 {
			// downgrade() raises NotImplementedError, Python's way of
			// saying it cannot be undone: down-missing, not a failure.
			m.Revision.DownLine, m.Revision.Irreversible, m.Down = line, true, nil
		}
		var down []migrations.Origin
		if m.Down != nil {
			down = p.script(m, m.Down, rev.Down, &b)
		}
		f := sqlparse.NewFile(m.Up.File.Path, b.String())
		m.Up.File, m.Up.Start, m.Up.End, m.Up.Origins = f, 0, upEnd, up
		if m.Down != nil {
			m.Down.File, m.Down.Start, m.Down.End, m.Down.Origins = f, upEnd, b.Len(), down
		}
	}
	return p, nil
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}

// pyStep is the helper's record of one revision's upgrade or downgrade.
type pyStep struct {
	Statements []struct {
		SQL  string
		Kind string // "revision", "env" or "" (Alembic's own)
		Line int
	}
	Error *pyError
}

type pyError struct {
	Type, Message string
	Frames        []struct {
		File     string
		Line     int
		Function string
		Text     string
	}
}

// script writes the statements of step to b and returns their origins.
func (p *Project) script(m *migrations.Migration, s *migrations.Script, ps *pyStep, b *strings.Builder) []migrations.Origin {
	dir := "up"
	if s == m.Down {
		dir = "down"
	}
	p.steps[s] = step{m.ID, dir}
	def := s.Origins[0] // the def upgrade() or def downgrade() line
	origins := []migrations.Origin{{Offset: b.Len(), Path: def.Path, Line: def.Line, Text: def.Text}}
	// A heading, so that the script's start (where whole-script findings
	// such as down-missing point) is the def line, not a statement.
	fmt.Fprintf(b, "-- %s() of revision %s\n", map[string]string{"up": "upgrade", "down": "downgrade"}[dir], m.ID)
	if ps == nil {
		return origins
	}
	for _, st := range ps.Statements {
		o := migrations.Origin{Offset: b.Len(), Path: def.Path, Line: def.Line, Text: def.Text}
		switch st.Kind {
		case "revision":
			o.Line, o.Text = st.Line, s.Source.LineText(st.Line)
		case "env":
			o.Path = p.env
			o.Line, o.Text = st.Line, p.line(o.Path, st.Line)
		}
		origins = append(origins, o)
		b.WriteString(terminated(st.SQL))
		b.WriteString("\n\n")
	}
	if ps.Error != nil {
		// What ran before the exception may have begun env.py's
		// transaction: end it, so that the offline SQL (applied when
		// psycopg2 is missing) is whole.
		if open := strings.Count(b.String()[origins[0].Offset:], "\nBEGIN;\n") - strings.Count(b.String()[origins[0].Offset:], "\nCOMMIT;\n"); open > 0 {
			origins = append(origins, migrations.Origin{Offset: b.Len(), Path: def.Path, Line: def.Line, Text: def.Text})
			b.WriteString("COMMIT;\n\n")
		}
		p.online[s] = true
		if !m.Revision.NeedsConnection {
			p.Failures = append(p.Failures, Failure{Migration: m, Direction: dir, Err: p.pyError(ps.Error)})
		} else {
			p.Partial = append(p.Partial, Failure{Migration: m, Direction: dir, Err: p.pyError(ps.Error)})
		}
	}
	if m.Revision.NeedsConnection {
		p.online[s] = true
	}
	return origins
}

// irreversible is the line where downgrade() raises NotImplementedError
// before it does anything, 0 when it does not.
func (p *Project) irreversible(m *migrations.Migration, down *pyStep) int {
	if m.Down == nil || down == nil || down.Error == nil || down.Error.Type != "NotImplementedError" {
		return 0
	}
	for _, st := range down.Statements {
		// env.py's BEGIN is no work of downgrade().
		if sql := strings.ToUpper(strings.TrimRight(strings.TrimSpace(st.SQL), ";")); sql != "BEGIN" {
			return 0
		}
	}
	e := p.pyError(down.Error)
	if e.Path == "" || !sameFile(e.Path, m.Up.Source.Path) {
		return 0
	}
	// Unconditional: the raise is at the body's own indentation, not in an
	// if (if context.is_offline_mode(): raise NotImplementedError is a
	// downgrade that runs online).
	src, body := m.Up.Source, ""
	for n := m.Revision.DownLine + 1; n < e.Line; n++ {
		if t := strings.TrimSpace(src.LineText(n)); t != "" && !strings.HasPrefix(t, "#") {
			body = src.LineText(n)
			break
		}
	}
	raise := src.LineText(e.Line)
	if body == "" {
		body = raise
	}
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	if indent(raise) != indent(body) || !strings.HasPrefix(strings.TrimSpace(raise), "raise") {
		return 0
	}
	return e.Line
}

// terminated ends sql with exactly one semicolon, on a line of its own
// when its last line holds a "--" comment that would swallow it.
func terminated(sql string) string {
	sql = strings.TrimRight(strings.TrimSpace(sql), ";")
	sql = strings.TrimRight(sql, " \t\n")
	last := sql[strings.LastIndexByte(sql, '\n')+1:]
	if strings.Contains(last, "--") {
		return sql + "\n;"
	}
	return sql + ";"
}

// line returns line n of the file at path, read once.
func (p *Project) line(path string, n int) string {
	f, ok := p.sources[path]
	if !ok {
		if b, err := os.ReadFile(path); err == nil {
			f = sqlparse.NewFile(path, string(b))
		}
		p.sources[path] = f
	}
	if f == nil {
		return ""
	}
	return f.LineText(n)
}

// pyError places a Python exception at its innermost frame in the
// project's files (relative paths; the helper and the libraries are
// absolute).
func (p *Project) pyError(e *pyError) *Error {
	// SQLAlchemy's messages go on with the SQL and a link after a blank
	// line: the first paragraph says what happened.
	msg, _, _ := strings.Cut(strings.TrimSpace(e.Message), "\n\n")
	out := &Error{Type: e.Type, Message: msg}
	var own []int
	for i, f := range e.Frames {
		if !filepath.IsAbs(f.File) && !strings.HasPrefix(f.File, "<") {
			own = append(own, i)
		}
	}
	if len(own) > 0 {
		in := e.Frames[own[len(own)-1]]
		out.Path, out.Line = filepath.Join(p.dir, filepath.FromSlash(in.File)), in.Line
		// The traceback strips the line; the excerpt keeps its indent.
		if out.Text = p.line(out.Path, in.Line); out.Text == "" {
			out.Text = in.Text
		}
		if first := e.Frames[own[0]]; own[0] != own[len(own)-1] && first.File != in.File {
			out.Via = fmt.Sprintf("%s:%d", filepath.Join(p.dir, filepath.FromSlash(first.File)), first.Line)
		}
	}
	return out
}

// run runs the helper with args and decodes the JSON it prints into out.
func (p *Project) run(ctx context.Context, url string, out any, args ...string) error {
	env := []string{
		"SCHEMAGATE_ALEMBIC_INI=" + p.ini,
		"SCHEMAGATE_ALEMBIC_SCRIPTS=" + p.scripts,
		"SCHEMAGATE_ALEMBIC_URL=" + url,
		"DATABASE_URL=" + url,
	}
	env = append(env, p.extraEnv...)
	res, err := p.py.Run(ctx, python.Run{Script: helper, Name: "schemagate_alembic.py", Args: args, Dir: p.dir, Env: env})
	if err != nil {
		return fmt.Errorf("alembic helper (%s): %w", p.py.Path, err)
	}
	if err := json.Unmarshal(res.Stdout, out); err != nil {
		return fmt.Errorf("alembic helper (%s): read its output: %w; it printed:\n%s%s", p.py.Path, err, res.Stdout, res.Stderr)
	}
	return nil
}

// SQLAlchemyURL turns a postgres:// URL into the postgresql:// that
// SQLAlchemy accepts.
func SQLAlchemyURL(url string) string {
	if rest, ok := strings.CutPrefix(url, "postgres://"); ok {
		return "postgresql://" + rest
	}
	return url
}
