package models

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemagate/schemagate/internal/catalog"
	"github.com/schemagate/schemagate/internal/python"
	"github.com/schemagate/schemagate/internal/sqlparse"
	"github.com/schemagate/schemagate/testdb"
)

// Source says where the models' schema comes from: one of the fields is
// set.
type Source struct {
	// SQL is a file of SQL that creates the schema (--models-sql).
	SQL string
	// Cmd is a shell command that builds the schema into the database
	// named by DATABASE_URL and the PG* variables (--models-cmd).
	Cmd string
	// SQLAlchemy is MODULE:ATTR, a MetaData or a declarative base
	// (--models-sqlalchemy).
	SQLAlchemy string
}

// Flag is the source as the user gave it, for messages.
func (s Source) Flag() string {
	switch {
	case s.SQL != "":
		return "--models-sql " + s.SQL
	case s.Cmd != "":
		return "--models-cmd " + s.Cmd
	case s.SQLAlchemy != "":
		return "--models-sqlalchemy " + s.SQLAlchemy
	}
	return ""
}

// Env is what building the schema needs besides the source.
type Env struct {
	// Dir is the project root: the command's working directory, and where
	// the SQLAlchemy models are imported from. "" is the current
	// directory.
	Dir string
	// Paths are searched for the models' modules after Dir: the
	// migrations' project directory.
	Paths []string
	// Python is the interpreter named by --python, "" to find one;
	// Interpreter, when set, is the one found already (Preflight).
	Python      string
	Interpreter *python.Interpreter
	// Extensions are created before SQLAlchemy's DDL runs: models cannot
	// say which extensions their types and defaults need, so the ones the
	// migrations create are given to them.
	Extensions []catalog.Object
}

// Schema is the models' schema, read back from the database it was built
// in, and where each object is defined.
type Schema struct {
	Snapshot *catalog.Snapshot
	Places   Places
}

// Build builds the models' schema into db, an empty database, and reads it
// with the catalog snapshot.
func Build(ctx context.Context, src Source, db *testdb.Database, env Env) (*Schema, error) {
	conn, err := pgx.Connect(ctx, db.URL())
	if err != nil {
		return nil, fmt.Errorf("%s: connect to the models' database: %w", src.Flag(), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	s := &Schema{Places: Places{}}
	switch {
	case src.SQL != "":
		err = s.fromSQL(ctx, conn, src.SQL)
	case src.Cmd != "":
		err = runCmd(ctx, src.Cmd, db, env.Dir)
	case src.SQLAlchemy != "":
		err = s.fromSQLAlchemy(ctx, conn, src.SQLAlchemy, env)
	default:
		return nil, errors.New("no models to compare with")
	}
	if err != nil {
		return nil, err
	}
	if s.Snapshot, err = catalog.Take(ctx, conn); err != nil {
		return nil, fmt.Errorf("%s: read the models' schema: %w", src.Flag(), err)
	}
	return s, nil
}

// fromSQL runs the statements of the file one by one (as psql -f does,
// without its meta-commands), and notes where each object is created.
func (s *Schema) fromSQL(ctx context.Context, conn *pgx.Conn, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--models-sql: %w", err)
	}
	f := sqlparse.NewFile(path, blankMetaCommands(string(b)))
	script := sqlparse.Parse(f, 0, len(f.Text))
	for _, st := range script.Statements {
		if st.Err != nil {
			at := f.Position(st.Err.Offset)
			return fmt.Errorf("%s:%d:%d: %s (--models-sql: fix the file, it is not valid SQL)", path, at.Line, at.Col, st.Err.Message)
		}
	}
	// The whole file in one message first: one round trip, and an
	// implicit transaction, which leaves nothing behind when it fails.
	// Then, only if it failed, statement by statement, as psql runs them
	// (some statements cannot run in a transaction block), which also
	// says which statement fails.
	if _, err := conn.PgConn().Exec(ctx, f.Text).ReadAll(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, st := range script.Statements {
			if _, err := conn.PgConn().Exec(ctx, st.Text).ReadAll(); err != nil {
				at := f.Position(errorOffset(st, err))
				return fmt.Errorf("%s:%d:%d: %s (--models-sql: the models' SQL fails on an empty database)", path, at.Line, at.Col, pgMessage(err))
			}
		}
	}
	s.Places.addSQL(f, script)
	return nil
}

// blankMetaCommands turns psql's backslash commands (\connect, \restrict
// in pg_dump's output) into spaces, keeping every offset.
func blankMetaCommands(text string) string {
	if !strings.Contains(text, "\n\\") && !strings.HasPrefix(text, "\\") {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\\") {
			body := strings.TrimRight(l, "\r\n")
			lines[i] = strings.Repeat(" ", len(body)) + l[len(body):]
		}
	}
	return strings.Join(lines, "")
}

// errorOffset is where in the file PostgreSQL's error position (characters
// from 1 in the statement) is; the statement's start when there is none.
func errorOffset(st *sqlparse.Statement, err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return st.Start
	}
	i := 0
	for n := int(pe.Position) - 1; n > 0 && i < len(st.Text); n-- {
		_, size := utf8.DecodeRuneInString(st.Text[i:])
		i += size
	}
	return st.Start + i
}

func pgMessage(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	msg := pe.Message
	if pe.Detail != "" {
		msg += " (" + strings.TrimSuffix(pe.Detail, ".") + ")"
	}
	return msg
}

// runCmd runs the user's command with the database in its environment;
// what it printed is shown when it fails.
func runCmd(ctx context.Context, command string, db *testdb.Database, dir string) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), db.Env()...)
	// A command that leaves a child holding its output open must not
	// hang the check.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := strings.TrimRight(string(out), "\n")
		if msg == "" {
			msg = "(no output)"
		}
		return fmt.Errorf("--models-cmd %q failed (%v); it printed:\n%s\nIt is given an empty database in DATABASE_URL (and PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and must create the models' schema there", command, err, msg)
	}
	return nil
}

//go:embed sqlalchemy_helper.py
var sqlalchemyHelper []byte

// helperOutput is what the SQLAlchemy helper prints.
type helperOutput struct {
	Version    string   `json:"sqlalchemy"`
	Schemas    []string `json:"schemas"`
	Statements []string `json:"statements"`
	Tables     []struct {
		Schema  *string `json:"schema"`
		Name    string  `json:"name"`
		File    string  `json:"file"`
		Line    int     `json:"line"`
		Columns map[string]struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"columns"`
		Indexes map[string]struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"indexes"`
	} `json:"tables"`
	Error     string `json:"error"`
	Message   string `json:"message"`
	File      string `json:"file"`
	ErrLine   int    `json:"line"`
	Traceback string `json:"traceback"`
}

// Preflight checks what can be checked before a server is started: that
// the models' file is there, that SQLAlchemy models are named as
// MODULE:ATTR and that a Python imports SQLAlchemy (which it returns).
func Preflight(ctx context.Context, src Source, explicitPython string) (*python.Interpreter, error) {
	switch {
	case src.SQL != "":
		if _, err := os.Stat(src.SQL); err != nil {
			return nil, fmt.Errorf("--models-sql: %w", err)
		}
	case src.SQLAlchemy != "":
		flag := src.Flag()
		if mod, attr, ok := strings.Cut(src.SQLAlchemy, ":"); !ok || mod == "" || attr == "" {
			return nil, fmt.Errorf("%s: give MODULE:ATTR, such as app.models:Base (a declarative base) or app.db:metadata (a MetaData)", flag)
		}
		return findPython(ctx, flag, explicitPython)
	}
	return nil, nil
}

func findPython(ctx context.Context, flag, explicit string) (*python.Interpreter, error) {
	py, err := python.Find(ctx, explicit, "sqlalchemy")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return py, nil
}

// fromSQLAlchemy renders the models' DDL with the embedded helper and runs
// it.
func (s *Schema) fromSQLAlchemy(ctx context.Context, conn *pgx.Conn, spec string, env Env) error {
	flag := "--models-sqlalchemy " + spec
	var err error
	py := env.Interpreter
	if py == nil {
		if py, err = findPython(ctx, flag, env.Python); err != nil {
			return err
		}
	}
	dir := env.Dir
	if dir == "" {
		if dir, err = os.Getwd(); err != nil {
			return err
		}
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	res, runErr := py.Run(ctx, python.Run{Script: sqlalchemyHelper, Name: "schemagate_sqlalchemy.py", Args: append([]string{spec, dir}, env.Paths...), Dir: dir})
	var out helperOutput
	if res != nil && len(bytes.TrimSpace(res.Stdout)) > 0 {
		if err := json.Unmarshal(res.Stdout, &out); err != nil {
			return fmt.Errorf("%s: the SQLAlchemy helper printed something other than JSON (%v): %s", flag, err, clipText(string(res.Stdout)))
		}
	} else if runErr != nil {
		return fmt.Errorf("%s: %w", flag, runErr)
	}
	if out.Error != "" {
		return helperError(flag, py, &out)
	}
	if runErr != nil {
		return fmt.Errorf("%s: %w", flag, runErr)
	}
	var stmts []string
	for _, e := range env.Extensions {
		if e.Name == "plpgsql" {
			continue
		}
		// CREATE EXTENSION x SCHEMA s VERSION 'v': the schema first.
		if _, rest, ok := strings.Cut(e.Def, " SCHEMA "); ok {
			if sch, _, ok := strings.Cut(rest, " VERSION "); ok && sch != "public" && sch != "pg_catalog" {
				stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+sch)
			}
		}
		stmts = append(stmts, e.Def)
	}
	for _, sch := range out.Schemas {
		stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{sch}.Sanitize())
	}
	for _, st := range append(stmts, out.Statements...) {
		if _, err := conn.PgConn().Exec(ctx, st).ReadAll(); err != nil {
			return fmt.Errorf("%s: the DDL SQLAlchemy %s renders fails on PostgreSQL: %s, in:\n%s", flag, out.Version, pgMessage(err), st)
		}
	}
	for _, t := range out.Tables {
		schema := "public"
		if t.Schema != nil && *t.Schema != "" {
			schema = *t.Schema
		}
		rel := schema + "." + t.Name
		if t.File != "" {
			s.Places.add("relation "+rel, t.File, t.Line, 0)
		}
		for col, p := range t.Columns {
			s.Places.add("column "+rel+"."+col, p.File, p.Line, 0)
		}
		for name, p := range t.Indexes { // an index lives in its table's schema
			s.Places.add("index "+schema+"."+name, p.File, p.Line, 0)
		}
	}
	return nil
}

// helperError says what went wrong in the user's models, where, and what to
// do.
func helperError(flag string, py *python.Interpreter, out *helperOutput) error {
	where := ""
	if out.File != "" {
		where = out.File
		if out.ErrLine > 0 {
			where += fmt.Sprintf(":%d", out.ErrLine)
		}
		where += ": "
	}
	var fix string
	switch out.Error {
	case "import":
		fix = fmt.Sprintf("the models must import with %s from the project root, the current directory: install what they import into that Python, or name the interpreter of the project's virtualenv with --python", py.Path)
		if strings.Contains(out.Message, "No module named") && out.File == "" {
			fix = fmt.Sprintf("run schemagate from the project root, where %s is importable, or name the interpreter that has the module with --python (tried %s)", strings.SplitN(flag, " ", 2)[1], py.Path)
		}
	case "attribute":
		fix = "give the name of the declarative base (Base = declarative_base()) or of the MetaData, as MODULE:ATTR"
	case "empty":
		fix = "the models' classes register their tables when their modules are imported: give the module that imports them all (such as app.models:Base, where app/models/__init__.py imports every model)"
	case "type":
		fix = "give a declarative base (Base = declarative_base(), class Base(DeclarativeBase)) or a MetaData"
	default:
		fix = "the models cannot be rendered for PostgreSQL; see the traceback"
	}
	msg := fmt.Sprintf("%s: %scannot load the models: %s; %s", flag, where, out.Message, fix)
	if out.Error == "render" && out.Traceback != "" {
		msg += "\n" + strings.TrimRight(out.Traceback, "\n")
	}
	return errors.New(msg)
}

func clipText(s string) string {
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}
