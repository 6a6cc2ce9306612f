package migrations

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// GolangMigrate is the convention of golang-migrate
// (github.com/golang-migrate/migrate): two files per version, the up and
// the down migration.
//
//	migrations/
//	  000001_create_users.up.sql
//	  000001_create_users.down.sql
//	  000004_add_users_email.up.sql
//
// The version is the leading digits, compared as a number (gaps are
// fine); the name is what follows the first underscore. The down file is
// optional. golang-migrate sends each file to PostgreSQL as one simple
// query, which runs as one implicit transaction when it holds more than
// one statement (TxImplicit). It ignores files whose name does not match
// GolangMigrateFilename; Load does too, except for names that end in
// ".up.sql" or ".down.sql", which are surely meant as migrations and are
// reported, as is a down file without an up file.
type GolangMigrate struct{}

// GolangMigrateFilename matches the name of a golang-migrate file; its
// groups are the version, the name and the direction ("up" or "down").
var GolangMigrateFilename = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)

// Name implements Format.
func (GolangMigrate) Name() string { return "golang-migrate" }

// Detect implements Format: a golang-migrate directory has
// NNN_name.up.sql files.
func (GolangMigrate) Detect(fsys fs.FS, dir string) bool {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(names, func(n string) bool {
		m := GolangMigrateFilename.FindStringSubmatch(n)
		return m != nil && m[3] == "up"
	})
}

// golangMigrateFile is one file of a golang-migrate directory.
type golangMigrateFile struct {
	version, name, path string
}

// Load implements Format.
func (g GolangMigrate) Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := sqlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	var (
		ups, downs []golangMigrateFile
		errs       []*FileError
	)
	for _, name := range names {
		p := path.Join(dir, name)
		m := GolangMigrateFilename.FindStringSubmatch(name)
		if m == nil {
			if strings.HasSuffix(name, ".up.sql") || strings.HasSuffix(name, ".down.sql") {
				errs = append(errs, fileError(p, 0, errors.New("file name has no version: golang-migrate ignores it; name it NNN_name.up.sql or NNN_name.down.sql")))
			}
			continue
		}
		if _, err := strconv.ParseUint(m[1], 10, 64); err != nil {
			errs = append(errs, fileError(p, 0, fmt.Errorf("version %s does not fit in 64 bits: golang-migrate ignores the file; use a smaller version", m[1])))
			continue
		}
		f := golangMigrateFile{version: m[1], name: m[2], path: p}
		if m[3] == "up" {
			ups = append(ups, f)
		} else {
			downs = append(downs, f)
		}
	}
	slices.SortStableFunc(ups, func(a, b golangMigrateFile) int { return cmpDigits(a.version, b.version) })

	downOf := make([]*golangMigrateFile, len(ups))
	byVersion := map[string][]int{} // versions compare as numbers: 001 == 1
	for i, u := range ups {
		v := strings.TrimLeft(u.version, "0")
		byVersion[v] = append(byVersion[v], i)
	}
	for i := range downs {
		d := &downs[i]
		u, fe := pairDown(ups, byVersion[strings.TrimLeft(d.version, "0")], downOf, d)
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		downOf[u] = d
	}

	var ms []Migration
	for i, u := range ups {
		up, err := readFile(fsys, u.path)
		if err != nil {
			errs = append(errs, fileError(u.path, 0, err))
			continue
		}
		m := Migration{ID: u.version, Name: u.name, Up: wholeFile(up, TxImplicit), Format: g.Name()}
		if d := downOf[i]; d != nil {
			down, err := readFile(fsys, d.path)
			if err != nil {
				errs = append(errs, fileError(d.path, 0, err))
				continue
			}
			m.Down = wholeFile(down, TxImplicit)
		}
		ms = append(ms, m)
	}
	return number(ms), loadErrors(errs)
}

// pairDown finds the up file of down file d among the up files of its
// version (candidates): the up file of the same
// version and name, else the only up file of that version without a down
// file (golang-migrate pairs by version alone).
func pairDown(ups []golangMigrateFile, candidates []int, downOf []*golangMigrateFile, d *golangMigrateFile) (int, *FileError) {
	var same []int
	for _, i := range candidates {
		u := ups[i]
		if u.name == d.name {
			if downOf[i] != nil {
				return 0, fileError(d.path, 0, fmt.Errorf("second down migration for %s (the first is %s): remove one", path.Base(u.path), path.Base(downOf[i].path)))
			}
			return i, nil
		}
		if downOf[i] == nil {
			same = append(same, i)
		}
	}
	if len(same) == 1 {
		return same[0], nil
	}
	upName := d.version + "_" + d.name + ".up.sql"
	if len(same) == 0 {
		return 0, fileError(d.path, 0, fmt.Errorf("down migration without an up migration: golang-migrate needs %s", upName))
	}
	return 0, fileError(d.path, 0, fmt.Errorf("down migration matches several up migrations of version %s: name it after one of them", d.version))
}

// loadFile loads one file as a golang-migrate migration, whatever its
// name. A lone down file becomes a migration whose up script is empty, so
// that its statements are still checked as a down migration.
func (g GolangMigrate) loadFile(fsys fs.FS, name string) ([]Migration, error) {
	f, err := readFile(fsys, name)
	if err != nil {
		return nil, loadErrors([]*FileError{fileError(name, 0, err)})
	}
	stem := strings.TrimSuffix(name, ".sql")
	m := []string{name, stem, stem, "up"}
	if match := GolangMigrateFilename.FindStringSubmatch(name); match != nil {
		m = match
	}
	mig := Migration{ID: m[1], Name: m[2], Format: g.Name()}
	if m[3] == "up" {
		mig.Up = wholeFile(f, TxImplicit)
	} else {
		start := bodyStart(f)
		mig.Up = &Script{File: f, Start: start, End: start, Tx: TxImplicit}
		mig.Down = wholeFile(f, TxImplicit)
	}
	return []Migration{mig}, nil
}
