// Package migrations discovers the migrations of a project on disk. Each
// migration tool's on-disk convention is one Format, in a file of its own;
// all of them produce the same []Migration.
package migrations

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// TxMode says how the migration tool runs a script, which decides what a
// statement may do (CONCURRENTLY cannot run in a transaction) and how long
// its locks are held.
type TxMode int

const (
	// TxWrapped: the tool wraps the whole script in one transaction.
	TxWrapped TxMode = iota
	// TxImplicit: the tool sends the whole script as one simple query, which
	// PostgreSQL runs as one implicit transaction when it holds more than
	// one statement (golang-migrate).
	TxImplicit
	// TxNone: every statement commits on its own.
	TxNone
)

func (m TxMode) String() string {
	switch m {
	case TxWrapped:
		return "transaction"
	case TxImplicit:
		return "implicit transaction"
	}
	return "no transaction"
}

// Script is the up or the down half of a migration: a region of a file.
type Script struct {
	File *sqlparse.File
	// Start and End delimit the script's SQL in File.Text (goose and dbmate
	// keep up and down in one file).
	Start, End int
	Tx         TxMode
	// Origins, when set, say that the SQL was generated (Alembic) and where
	// each part of it comes from: a statement starting at or after
	// Origins[i].Offset is reported at Origins[i].Line of Origins[i].Path.
	Origins []Origin
	// Source, when set, is the file the SQL was generated from (an Alembic
	// revision): its "# schemagate:ignore" comments apply, not comments in
	// the generated SQL.
	Source *sqlparse.File
}

// Origin maps generated SQL back to the source line that produced it.
type Origin struct {
	Offset int // byte offset in File.Text
	Path   string
	Line   int
	// Text is the source line, for excerpts; "" when unknown.
	Text string
}

// Path is the file the script lives in.
func (s *Script) Path() string { return s.File.Path }

// SQL is the script's text.
func (s *Script) SQL() string { return s.File.Text[s.Start:s.End] }

// Line is the line of the file on which the script's SQL starts.
func (s *Script) Line() int { return s.File.Position(s.Start).Line }

// Migration is one step of a project's schema history.
type Migration struct {
	// ID is the version as the tool writes it: "000002", "20240101120000",
	// "1.2.3", or a file name for formats without versions.
	ID string
	// Name is the human part of the file name: "add_users_email".
	Name string
	// Position orders migrations as the tool applies them, from 0.
	Position int
	Up       *Script
	Down     *Script // nil when the format or the migration has none
	Format   string
	// Revision is the migration's place in a revision graph, for formats
	// whose history is one (Alembic); nil for a linear history.
	Revision *Revision
}

// Revision is a node of a revision graph.
type Revision struct {
	// Parents are the revisions this one follows (Alembic's
	// down_revision): none for a base, two or more for a merge.
	Parents []string
	// DependsOn are revisions that must be applied first without being
	// parents; BranchLabels name the branch the revision starts.
	DependsOn, BranchLabels []string
	// Line is the line of the revision's id in Up.Source, and DownLine
	// that of its def downgrade(), 0 when it has none.
	Line, DownLine int
	// NeedsConnection: the revision reads the database while it runs
	// (Alembic's op.get_bind()), so only a live run shows what it does.
	NeedsConnection bool
	// Irreversible: downgrade() raises NotImplementedError (at DownLine).
	Irreversible bool
}

// Heads are the migrations of a revision graph that no other migration
// follows; nil for a linear history.
func Heads(ms []Migration) []*Migration {
	followed := map[string]bool{}
	graph := false
	for i := range ms {
		if r := ms[i].Revision; r != nil {
			graph = true
			for _, p := range r.Parents {
				followed[p] = true
			}
		}
	}
	if !graph {
		return nil
	}
	var out []*Migration
	for i := range ms {
		if id := ms[i].ID; !followed[id] {
			followed[id] = true // a duplicate id is one head
			out = append(out, &ms[i])
		}
	}
	return out
}

// Format is one migration tool's on-disk convention.
type Format interface {
	// Name is the value of --migration-format that selects it.
	Name() string
	// Detect reports whether dir looks like this format. It reads little:
	// file names, and the first lines of a few files.
	Detect(fsys fs.FS, dir string) bool
	// Load reads every migration in dir, in order. Problems confined to one
	// file come back as *LoadErrors alongside the migrations that did load;
	// any other error means nothing could be loaded.
	Load(fsys fs.FS, dir string) ([]Migration, error)
}

// FileError is a problem with one migration file, at a line where known.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// LoadErrors collects the files that could not be loaded.
type LoadErrors struct {
	Files []*FileError
}

func (e *LoadErrors) Error() string {
	msgs := make([]string, len(e.Files))
	for i, f := range e.Files {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.Is and errors.As see every file's error.
func (e *LoadErrors) Unwrap() []error {
	errs := make([]error, len(e.Files))
	for i, f := range e.Files {
		errs[i] = f
	}
	return errs
}

// loadErrors returns nil for no problems, so callers can return it as is.
func loadErrors(files []*FileError) error {
	if len(files) == 0 {
		return nil
	}
	return &LoadErrors{Files: files}
}

// DuplicateVersionError says that two migrations share one version.
type DuplicateVersionError struct {
	ID    string
	First *Migration
	Again *Migration
}

func (e *DuplicateVersionError) Error() string {
	return fmt.Sprintf("version %s is used by both %s and %s", e.ID, e.First.Up.Path(), e.Again.Up.Path())
}

// Duplicates lists every migration whose version an earlier one already has.
func Duplicates(ms []Migration) []*DuplicateVersionError {
	seen := map[string]*Migration{}
	var out []*DuplicateVersionError
	for i := range ms {
		m := &ms[i]
		if first, ok := seen[m.ID]; ok {
			out = append(out, &DuplicateVersionError{ID: m.ID, First: first, Again: m})
			continue
		}
		seen[m.ID] = m
	}
	return out
}

// ErrNoMigrations says that a directory holds nothing any format recognises.
var ErrNoMigrations = errors.New("no migrations found")
