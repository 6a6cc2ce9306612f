package migrations

import (
	"errors"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Goose is the SQL migration convention of goose
// (github.com/pressly/goose): one file per version, holding the up and the
// down migration, separated by annotation comments.
//
//	migrations/
//	  00001_create_users.sql
//	  00004_add_users_email.sql
//	  20240101120000_backfill.sql
//
//	-- +goose Up
//	CREATE TABLE users (id bigint PRIMARY KEY);
//
//	-- +goose StatementBegin
//	CREATE FUNCTION touch() RETURNS trigger AS $$
//	BEGIN NEW.updated_at = now(); RETURN NEW; END;
//	$$ LANGUAGE plpgsql;
//	-- +goose StatementEnd
//
//	-- +goose Down
//	DROP FUNCTION touch();
//	DROP TABLE users;
//
// The version is the number before the first underscore (sequential or a
// timestamp, compared as a number; gaps are fine), the name what follows
// it. goose ignores .sql files without a version, and so does Load; .go
// migrations are not SQL and are skipped. "-- +goose Up" is required and
// comes first; "-- +goose Down" is optional. goose runs each section in a
// transaction (TxWrapped) unless "-- +goose NO TRANSACTION" appears
// anywhere in the file, which turns it off for both (TxNone).
// StatementBegin and StatementEnd must pair up inside a section; "-- +goose
// ENVSUB ON" and "OFF" are accepted and ignored. Annotations are
// case-insensitive and start at the beginning of their line.
type Goose struct{}

// GooseFilename matches the name of a goose SQL migration; its groups are
// the version and the name.
var GooseFilename = regexp.MustCompile(`^([0-9]+)_(.*)\.sql$`)

// gooseUp finds the Up annotation at the start of a line.
var gooseUp = regexp.MustCompile(`(?im)^--\s*\+goose\s+up\s*$`)

// Name implements Format.
func (Goose) Name() string { return "goose" }

// Detect implements Format: a goose directory has versioned .sql files
// that start with "-- +goose Up".
func (Goose) Detect(fsys fs.FS, dir string) bool {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return false
	}
	names = slices.DeleteFunc(names, func(n string) bool { return !GooseFilename.MatchString(n) })
	return anyHead(fsys, dir, names, gooseUp.MatchString)
}

// Load implements Format.
func (g Goose) Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	type loaded struct {
		version string
		m       Migration
	}
	var (
		ms   []loaded
		errs []*FileError
	)
	for _, name := range names {
		match := GooseFilename.FindStringSubmatch(name)
		if match == nil {
			continue
		}
		p := path.Join(dir, name)
		if err := checkGooseVersion(match[1]); err != nil {
			errs = append(errs, fileError(p, 0, err))
			continue
		}
		m, fe := g.migration(fsys, p, match[1], match[2])
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, loaded{match[1], m})
	}
	slices.SortStableFunc(ms, func(a, b loaded) int { return cmpDigits(a.version, b.version) })
	out := make([]Migration, len(ms))
	for i, l := range ms {
		out[i] = l.m
	}
	return number(out), loadErrors(errs)
}

// loadFile loads one file as a goose migration, whatever its name.
func (g Goose) loadFile(fsys fs.FS, name string) ([]Migration, error) {
	id, label := strings.TrimSuffix(name, ".sql"), strings.TrimSuffix(name, ".sql")
	if match := GooseFilename.FindStringSubmatch(name); match != nil {
		id, label = match[1], match[2]
	}
	m, fe := g.migration(fsys, name, id, label)
	if fe != nil {
		return nil, loadErrors([]*FileError{fe})
	}
	return []Migration{m}, nil
}

// migration reads the goose file at p.
func (g Goose) migration(fsys fs.FS, p, id, name string) (Migration, *FileError) {
	f, err := readFile(fsys, p)
	if err != nil {
		return Migration{}, fileError(p, 0, err)
	}
	s, fe := gooseSyntax.parse(f)
	if fe != nil {
		return Migration{}, fe
	}
	up, down := s.scripts(f, TxWrapped, TxNone)
	return Migration{ID: id, Name: name, Up: up, Down: down, Format: g.Name()}, nil
}

// checkGooseVersion checks that v is a version goose accepts: a positive
// int64.
func checkGooseVersion(v string) error {
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err != nil:
		return errors.New("version " + v + " does not fit in goose's 64-bit versions: use a smaller number")
	case n < 1:
		return errors.New("version " + v + ": goose versions start at 1; rename the file")
	}
	return nil
}
