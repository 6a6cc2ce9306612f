package migrations

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// SQLMigrate is the convention of sql-migrate (github.com/rubenv/sql-migrate):
// any .sql file is a migration holding its up and its down section,
// separated by annotation comments.
//
//	migrations/
//	  1_initial.sql
//	  2_add_users_email.sql
//	  20240101120000-create-index.sql
//
//	-- +migrate Up
//	CREATE TABLE users (id bigint PRIMARY KEY);
//
//	-- +migrate Down
//	DROP TABLE users;
//
//	-- +migrate Up notransaction
//	CREATE INDEX CONCURRENTLY users_email ON users (email);
//
// sql-migrate's ID is the file name ("1_initial.sql"), and so is the
// migration's ID; its Name is the file name without a leading number and
// ".sql". Files are applied as sql-migrate sorts them: those whose name
// starts with a number first, by that number (ties by name), then the
// others by name. "-- +migrate Up" is required and comes first; "-- +migrate
// Down" is optional. Each section runs in a transaction (TxWrapped) unless
// its annotation carries the "notransaction" option (TxNone).
// StatementBegin and StatementEnd must pair up inside a section.
// Annotations are case-sensitive and spelled with exactly one space:
// "-- +migrate Up".
//
// sql-migrate also accepts several alternating Up and Down sections, or the
// down section first; a migration here is one up and one down region of
// its file, so Load reports those files as errors.
type SQLMigrate struct{}

// sqlMigrateAnnotation finds an Up or Down annotation at the start of a line.
var sqlMigrateAnnotation = regexp.MustCompile(`(?m)^-- \+migrate (Up|Down)(\s|$)`)

// Name implements Format.
func (SQLMigrate) Name() string { return "sql-migrate" }

// Detect implements Format: a sql-migrate directory has .sql files with
// "-- +migrate Up" or "-- +migrate Down" annotations.
func (SQLMigrate) Detect(fsys fs.FS, dir string) bool {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return false
	}
	return anyHead(fsys, dir, names, sqlMigrateAnnotation.MatchString)
}

// Load implements Format.
func (s SQLMigrate) Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(names, compareSQLMigrate)
	var (
		ms   []Migration
		errs []*FileError
	)
	for _, name := range names {
		m, fe := s.migration(fsys, path.Join(dir, name))
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, m)
	}
	return number(ms), loadErrors(errs)
}

// loadFile loads one file as a sql-migrate migration.
func (s SQLMigrate) loadFile(fsys fs.FS, name string) ([]Migration, error) {
	m, fe := s.migration(fsys, name)
	if fe != nil {
		return nil, loadErrors([]*FileError{fe})
	}
	return []Migration{m}, nil
}

func (s SQLMigrate) migration(fsys fs.FS, p string) (Migration, *FileError) {
	f, err := readFile(fsys, p)
	if err != nil {
		return Migration{}, fileError(p, 0, err)
	}
	sec, fe := sqlMigrateSyntax.parse(f)
	if fe != nil {
		return Migration{}, fe
	}
	up, down := sec.scripts(f, TxWrapped, TxNone)
	base := path.Base(p)
	return Migration{ID: base, Name: sqlMigrateName(base), Up: up, Down: down, Format: s.Name()}, nil
}

// sqlMigrateName is a file name without its leading number, the separator
// after it, and ".sql".
func sqlMigrateName(base string) string {
	stem := strings.TrimSuffix(base, ".sql")
	rest := stem[len(leadingDigits(stem)):]
	if rest == stem {
		return stem
	}
	if rest != "" && (rest[0] == '_' || rest[0] == '-') {
		rest = rest[1:]
	}
	if rest == "" {
		return stem
	}
	return rest
}

// compareSQLMigrate orders file names as sql-migrate does: numbered names
// first, by number, then by name.
func compareSQLMigrate(a, b string) int {
	na, nb := leadingDigits(a), leadingDigits(b)
	switch {
	case na != "" && nb != "":
		if c := cmpDigits(na, nb); c != 0 {
			return c
		}
	case na != "":
		return -1
	case nb != "":
		return 1
	}
	return strings.Compare(a, b)
}
