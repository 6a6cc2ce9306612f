package migrations

import (
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Plain is a directory of SQL files applied one after the other, as
// "psql -f" would, with no migration tool:
//
//	sql/
//	  1_schema.sql
//	  2_seed.sql
//	  10_indexes.sql
//
// Every .sql file is a migration, in natural order: runs of digits compare
// as numbers, so 2_seed.sql comes before 10_indexes.sql. A migration's ID
// and Name are its file name without ".sql". There is no down migration,
// and each statement commits on its own (TxNone).
type Plain struct{}

// Name implements Format.
func (Plain) Name() string { return "plain" }

// Detect implements Format: any directory with .sql files.
func (Plain) Detect(fsys fs.FS, dir string) bool {
	names, err := sqlFiles(fsys, dir)
	return err == nil && len(names) > 0
}

// Load implements Format.
func (p Plain) Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(names, naturalCompare)
	var (
		ms   []Migration
		errs []*FileError
	)
	for _, name := range names {
		m, fe := p.migration(fsys, path.Join(dir, name))
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, m)
	}
	return number(ms), loadErrors(errs)
}

// loadFile loads one file as a plain migration.
func (p Plain) loadFile(fsys fs.FS, name string) ([]Migration, error) {
	m, fe := p.migration(fsys, name)
	if fe != nil {
		return nil, loadErrors([]*FileError{fe})
	}
	return []Migration{m}, nil
}

func (p Plain) migration(fsys fs.FS, name string) (Migration, *FileError) {
	f, err := readFile(fsys, name)
	if err != nil {
		return Migration{}, fileError(name, 0, err)
	}
	id := strings.TrimSuffix(path.Base(name), ".sql")
	return Migration{ID: id, Name: id, Up: wholeFile(f, TxNone), Format: p.Name()}, nil
}
