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
	return nil, fmt.Errorf("%s: %w: tried %s; name the format with --migration-format",
		dir, ErrNoMigrations, strings.Join(FormatNames(), ", "))
}

// Discover loads the migrations in the directory root (a path as the user
// gave it) with the named format, or the detected one for "auto". Paths in
// the result are root joined with each file's path inside it.
func Discover(root, format string) (Format, []Migration, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("migrations directory: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory", root)
	}
	fsys := os.DirFS(root)
	var f Format
	if format == "" || format == "auto" {
		f, err = Detect(fsys, ".")
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w: tried %s; name the format with --migration-format",
				root, ErrNoMigrations, strings.Join(FormatNames(), ", "))
		}
	} else if f, err = Lookup(format); err != nil {
		return nil, nil, err
	}
	ms, err := f.Load(fsys, ".")
	var le *LoadErrors
	if err != nil && !errors.As(err, &le) {
		return f, nil, fmt.Errorf("load %s migrations from %s: %w", f.Name(), root, err)
	}
	rebase(ms, root)
	if le != nil {
		for _, fe := range le.Files {
			fe.Path = filepath.Join(root, filepath.FromSlash(fe.Path))
		}
	}
	if len(ms) == 0 && le == nil {
		return f, nil, fmt.Errorf("%s: %w for format %s", root, ErrNoMigrations, f.Name())
	}
	return f, ms, err
}

// rebase prefixes every file path with root, once per file (goose's up and
// down share one).
func rebase(ms []Migration, root string) {
	done := map[*sqlparse.File]bool{}
	fix := func(s *Script) {
		if s == nil || done[s.File] {
			return
		}
		done[s.File] = true
		s.File.Path = filepath.Join(root, filepath.FromSlash(s.File.Path))
		for i := range s.Origins {
			s.Origins[i].Path = filepath.Join(root, filepath.FromSlash(s.Origins[i].Path))
		}
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

// sqlFiles lists the regular .sql files directly in dir, sorted by name.
func sqlFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// wholeFile is a script covering all of f.
func wholeFile(f *sqlparse.File, tx TxMode) *Script {
	return &Script{File: f, Start: 0, End: len(f.Text), Tx: tx}
}
