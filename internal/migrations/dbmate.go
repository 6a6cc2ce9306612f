package migrations

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Dbmate is the convention of dbmate (github.com/amacneil/dbmate): one file
// per version, holding the up and the down migration after "-- migrate:up"
// and "-- migrate:down" lines, each with optional options.
//
//	db/migrations/
//	  20240101120000_create_users.sql
//	  20240301090000_index_users_email.sql
//
//	-- migrate:up transaction:false
//	CREATE INDEX CONCURRENTLY users_email ON users (email);
//
//	-- migrate:down
//	DROP INDEX users_email;
//
// The version is the file name's leading digits (usually a 14-digit
// timestamp), the name what follows them after an underscore. dbmate
// applies files in file-name order, which is version order for versions of
// equal width, and ignores files that do not start with a digit.
// "-- migrate:up" is required and must come first, with nothing but blank
// lines and comments before it. Each section runs in a transaction
// (TxWrapped) unless its own line says "transaction:false": then dbmate
// sends it as one query all the same, one implicit transaction when it
// holds more than one statement (TxImplicit).
// dbmate 2 also requires "-- migrate:down"; a file without one loads here
// with no down migration, which replay reports. Newer dbmate versions allow
// several up/down sections in one file; a migration here has one of each,
// so Load reports such files as errors.
type Dbmate struct{}

// DbmateFilename matches the name of a dbmate migration; its groups are
// the version and the name.
var DbmateFilename = regexp.MustCompile(`^([0-9]+)_?(.*)\.sql$`)

// dbmateDirective is a "-- migrate:up" or "-- migrate:down" line; its
// groups are the direction and the options.
var dbmateDirective = regexp.MustCompile(`^--\s*migrate:(up|down)(?:\s+(.*))?$`)

// dbmateUp finds the up directive at the start of a line.
var dbmateUp = regexp.MustCompile(`(?m)^--\s*migrate:up(\s|$)`)

// Name implements Format.
func (Dbmate) Name() string { return "dbmate" }

// Detect implements Format: a dbmate directory has versioned .sql files
// with a "-- migrate:up" line.
func (Dbmate) Detect(fsys fs.FS, dir string) bool {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return false
	}
	names = slices.DeleteFunc(names, func(n string) bool { return !DbmateFilename.MatchString(n) })
	return anyHead(fsys, dir, names, dbmateUp.MatchString)
}

// Load implements Format.
func (d Dbmate) Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := sqlFiles(fsys, dir) // sorted by name, as dbmate applies them
	if err != nil {
		return nil, err
	}
	var (
		ms   []Migration
		errs []*FileError
	)
	for _, name := range names {
		match := DbmateFilename.FindStringSubmatch(name)
		if match == nil {
			continue
		}
		m, fe := d.migration(fsys, path.Join(dir, name), match[1], match[2])
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, m)
	}
	return number(ms), loadErrors(errs)
}

// loadFile loads one file as a dbmate migration, whatever its name.
func (d Dbmate) loadFile(fsys fs.FS, name string) ([]Migration, error) {
	id, label := strings.TrimSuffix(name, ".sql"), strings.TrimSuffix(name, ".sql")
	if match := DbmateFilename.FindStringSubmatch(name); match != nil {
		id, label = match[1], match[2]
	}
	m, fe := d.migration(fsys, name, id, label)
	if fe != nil {
		return nil, loadErrors([]*FileError{fe})
	}
	return []Migration{m}, nil
}

func (d Dbmate) migration(fsys fs.FS, p, id, name string) (Migration, *FileError) {
	f, err := readFile(fsys, p)
	if err != nil {
		return Migration{}, fileError(p, 0, err)
	}
	s, fe := parseDbmate(f)
	if fe != nil {
		return Migration{}, fe
	}
	// transaction:false: dbmate still sends the section as one query
	// (db.Exec), which PostgreSQL runs as one implicit transaction.
	up, down := s.scripts(f, TxWrapped, TxImplicit)
	return Migration{ID: id, Name: name, Up: up, Down: down, Format: d.Name()}, nil
}

// dbmateState is where parseDbmate is in a file.
type dbmateState int

const (
	dbmateStart dbmateState = iota // before "-- migrate:up"
	dbmateUpSection
	dbmateDownSection
)

// parseDbmate finds the up and down sections of a dbmate file.
func parseDbmate(f *sqlparse.File) (*sections, *FileError) {
	var (
		s                sections
		st               = dbmateStart
		upLine, downLine int
		preamble         int // first line of SQL before "-- migrate:up"
	)
	fail := func(line int, format string, args ...any) (*sections, *FileError) {
		return nil, &FileError{Path: f.Path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	const up, down = "-- migrate:up", "-- migrate:down"

	for n := 1; n <= f.Lines(); n++ {
		line := f.LineText(n)
		match := dbmateDirective.FindStringSubmatch(line)
		var dir string
		if match != nil {
			dir = match[1]
		}
		switch {
		case dir == "" && st == dbmateStart:
			// Reported once "-- migrate:up" shows that the file is a
			// migration; without one, that is the error to report.
			if preamble == 0 && isStatementLine(line) {
				preamble = n
			}
		case dir == "":
			// SQL or an ordinary comment: part of the current section.

		case dir == "up" && st == dbmateStart && preamble > 0:
			return fail(preamble, "statement before %q: dbmate refuses statements outside the up and down sections; move it below %q", up, up)
		case dir == "up" && st == dbmateStart:
			st, upLine = dbmateUpSection, n
			s.upStart = f.LineStart(n + 1)
			s.upNoTx = dbmateNoTx(match[2])
		case dir == "up":
			return fail(n, "second %q (the first is on line %d): a migration here has one up and one down section; split the file into one migration per section", up, upLine)

		case dir == "down" && st == dbmateUpSection:
			st, downLine = dbmateDownSection, n
			s.upEnd = f.LineStart(n)
			s.hasDown = true
			s.downStart = f.LineStart(n + 1)
			s.downNoTx = dbmateNoTx(match[2])
		case dir == "down" && st == dbmateStart:
			return fail(n, "%q before %q: dbmate needs the up section first; move it above", down, up)
		case dir == "down":
			return fail(n, "second %q (the first is on line %d): keep one down section per file", down, downLine)
		}
	}

	switch st {
	case dbmateStart:
		return fail(0, "missing %q annotation: dbmate needs it to find the up migration", up)
	case dbmateUpSection:
		s.upEnd = len(f.Text)
	case dbmateDownSection:
		s.downEnd = len(f.Text)
	}
	return &s, nil
}

// dbmateNoTx reports whether a directive's options say
// "transaction:false". Like dbmate, it ignores options it does not know.
func dbmateNoTx(opts string) bool {
	for _, o := range strings.Fields(opts) {
		if k, v, ok := strings.Cut(o, ":"); ok && k == "transaction" && v == "false" {
			return true
		}
	}
	return false
}
