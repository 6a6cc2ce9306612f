package migrations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Formats lists every format in the order auto-detection tries them: the
// most specific conventions first, plain SQL last since any .sql file fits.
func Formats() []Format {
	return []Format{
		Alembic{},
		Diesel{},
		Flyway{},
		GolangMigrate{},
		Goose{},
		Dbmate{},
		SQLMigrate{},
		Plain{},
	}
}

// FormatNames lists the values --migration-format accepts besides "auto".
func FormatNames() []string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name())
	}
	return names
}

// Lookup returns the format called name.
func Lookup(name string) (Format, error) {
	for _, f := range Formats() {
		if f.Name() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown migration format %q (want auto, %s)", name, strings.Join(FormatNames(), ", "))
}

// Detect returns the first format that recognises dir.
func Detect(fsys fs.FS, dir string) (Format, error) {
	for _, f := range Formats() {
		if f.Detect(fsys, dir) {
			return f, nil
		}
	}
	return nil, noFormatError(dir)
}

// noFormatError says that no format recognises where.
func noFormatError(where string) error {
	return fmt.Errorf("%s: %w: tried %s; name the format with --migration-format",
		where, ErrNoMigrations, strings.Join(FormatNames(), ", "))
}

// Discover loads the migrations in root, a path as the user gave it, with
// the named format, or the detected one for "auto". Paths in the result
// are root joined with each file's path inside it.
//
// root may also be a single .sql file; Discover then loads just that file,
// detecting its format by its annotations (goose, dbmate, sql-migrate) or
// its name (golang-migrate), else as plain SQL, and its paths are root
// exactly.
func Discover(root, format string) (Format, []Migration, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("find migrations: %w", err)
	}
	if !info.IsDir() {
		return discoverFile(root, format)
	}
	fsys := prefetch(os.DirFS(root), ".")
	var f Format
	if format == "" || format == "auto" {
		if f, _ = Detect(fsys, "."); f == nil {
			return nil, nil, noFormatError(root)
		}
	} else if f, err = Lookup(format); err != nil {
		return nil, nil, err
	}
	ms, err := f.Load(fsys, ".")
	return finish(f, ms, err, root, func(p string) string {
		return filepath.Join(root, filepath.FromSlash(p))
	})
}

// discoverFile loads the single file root.
func discoverFile(root, format string) (Format, []Migration, error) {
	dir, base := filepath.Split(root)
	if dir == "" {
		dir = "."
	}
	fsys := &fileFS{dir: os.DirFS(dir), name: base}
	var (
		f   Format
		err error
	)
	if format == "" || format == "auto" {
		if f = detectFile(fsys, base); f == nil && strings.HasSuffix(base, ".py") {
			// AlembicProject found no project whose versions hold it.
			return nil, nil, fmt.Errorf("%s: %w: a .py file is read as an Alembic revision only in the versions directory of a project (alembic.ini, or env.py beside versions/, above it); give the project's directory", root, ErrNoMigrations)
		} else if f == nil {
			return nil, nil, fmt.Errorf("%s: %w: not a directory or a .sql file", root, ErrNoMigrations)
		}
	} else if f, err = Lookup(format); err != nil {
		return nil, nil, err
	}
	var ms []Migration
	if fl, ok := f.(fileLoader); ok {
		ms, err = fl.loadFile(fsys, base)
	} else {
		ms, err = f.Load(fsys, ".")
	}
	return finish(f, ms, err, root, func(string) string { return root })
}

// fileLoader is a format that can load one file whatever its name, for
// Discover on a single file.
type fileLoader interface {
	loadFile(fsys fs.FS, name string) ([]Migration, error)
}

// detectFile picks the format of the single file name: by its annotations,
// then by its name, else plain SQL; nil when it is not SQL.
func detectFile(fsys fs.FS, name string) Format {
	if !strings.HasSuffix(name, ".sql") {
		return nil
	}
	h := head(fsys, name)
	switch {
	case gooseUp.MatchString(h):
		return Goose{}
	case dbmateUp.MatchString(h):
		return Dbmate{}
	case sqlMigrateAnnotation.MatchString(h):
		return SQLMigrate{}
	case GolangMigrateFilename.MatchString(name):
		return GolangMigrate{}
	}
	return Plain{}
}

// finish turns the paths of what f.Load returned into the user's paths
// with userPath, and reports an empty result.
func finish(f Format, ms []Migration, err error, root string, userPath func(string) string) (Format, []Migration, error) {
	var le *LoadErrors
	if err != nil && !errors.As(err, &le) {
		return f, nil, fmt.Errorf("load %s migrations from %s: %w", f.Name(), root, err)
	}
	rebase(ms, userPath)
	if le != nil {
		for _, fe := range le.Files {
			fe.Path = userPath(fe.Path)
		}
	}
	if len(ms) == 0 && le == nil {
		return f, nil, fmt.Errorf("%s: %w for format %s", root, ErrNoMigrations, f.Name())
	}
	return f, ms, err
}

// rebase turns every file path into the user's path, once per file
// (goose's up and down share one).
func rebase(ms []Migration, userPath func(string) string) {
	done := map[*sqlparse.File]bool{}
	fixFile := func(f *sqlparse.File) {
		if f != nil && !done[f] {
			done[f] = true
			f.Path = userPath(f.Path)
		}
	}
	fix := func(s *Script) {
		if s == nil {
			return
		}
		for i := range s.Origins {
			s.Origins[i].Path = userPath(s.Origins[i].Path)
		}
		fixFile(s.File)
		fixFile(s.Source)
	}
	for i := range ms {
		fix(ms[i].Up)
		fix(ms[i].Down)
	}
}

// readFile reads name from fsys as a sqlparse.File whose path is the slash
// path inside fsys.
func readFile(fsys fs.FS, name string) (*sqlparse.File, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return sqlparse.NewFile(path.Clean(name), string(b)), nil
}

// sqlFiles lists the regular .sql files directly in dir, following
// symbolic links, sorted by name.
func sqlFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		if e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0 && isRegular(fsys, path.Join(dir, e.Name())) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// wholeFile is a script covering all of f but a byte order mark.
func wholeFile(f *sqlparse.File, tx TxMode) *Script {
	return &Script{File: f, Start: bodyStart(f), End: len(f.Text), Tx: tx}
}
