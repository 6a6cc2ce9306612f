package migrations

import (
	"bufio"
	"errors"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Diesel is the SQL migration convention of Diesel (diesel.rs): one
// directory per migration, holding up.sql, usually down.sql, and
// optionally metadata.toml.
//
//	migrations/
//	  00000000000000_diesel_initial_setup/
//	    up.sql
//	    down.sql
//	  2024-01-01-120000_create_users/
//	    up.sql
//	    down.sql
//	  2024-02-01-090000_index_users_email/
//	    up.sql
//	    metadata.toml       run_in_transaction = false
//
// The version is the directory name up to the first underscore; like
// Diesel, the migration's ID is that version without its dashes
// ("20240101120000"), and migrations are applied in the order of their
// IDs. The name is what follows the first underscore. Diesel treats every
// directory that does not start with "." as a migration and refuses one
// without up.sql; Load reports it. down.sql is optional. Each script runs
// in a transaction (TxWrapped) unless metadata.toml says
// run_in_transaction = false (TxImplicit: still one query).
type Diesel struct{}

// DieselDirname matches the name of a Diesel migration directory; its
// groups are the version and the name.
var DieselDirname = regexp.MustCompile(`^([0-9][0-9-]*)_(.*)$`)

// Name implements Format.
func (Diesel) Name() string { return "diesel" }

// Detect implements Format: a Diesel directory has subdirectories with an
// up.sql.
func (Diesel) Detect(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	tried := 0
	for _, e := range entries {
		if !isDir(fsys, dir, e) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if tried++; tried > 50 {
			break
		}
		if isRegular(fsys, path.Join(dir, e.Name(), "up.sql")) {
			return true
		}
	}
	return false
}

// Load implements Format.
func (d Diesel) Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
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
	for _, e := range entries {
		if !isDir(fsys, dir, e) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := path.Join(dir, e.Name())
		match := DieselDirname.FindStringSubmatch(e.Name())
		if match == nil {
			errs = append(errs, fileError(p, 0, errors.New("directory name has no version: Diesel runs every directory here as a migration; name it <timestamp>_<name>, like 2024-01-01-120000_create_users, or move it out")))
			continue
		}
		m, fe := d.migration(fsys, p, match[1], match[2])
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, loaded{m.ID, m})
	}
	slices.SortStableFunc(ms, func(a, b loaded) int { return strings.Compare(a.version, b.version) })
	out := make([]Migration, len(ms))
	for i, l := range ms {
		out[i] = l.m
	}
	return number(out), loadErrors(errs)
}

// migration reads the migration directory p.
func (d Diesel) migration(fsys fs.FS, p, version, name string) (Migration, *FileError) {
	tx := TxWrapped
	meta := path.Join(p, "metadata.toml")
	if b, err := fs.ReadFile(fsys, meta); err == nil {
		if !dieselRunInTransaction(string(b)) {
			// Diesel still sends the file as one query (batch_execute),
			// one implicit transaction when it holds more than one
			// statement.
			tx = TxImplicit
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Migration{}, fileError(meta, 0, err)
	}
	upPath := path.Join(p, "up.sql")
	up, err := readFile(fsys, upPath)
	if errors.Is(err, fs.ErrNotExist) {
		return Migration{}, fileError(p, 0, errors.New("no up.sql: Diesel needs one in every migration directory; add it, or move the directory out"))
	}
	if err != nil {
		return Migration{}, fileError(upPath, 0, err)
	}
	m := Migration{ID: strings.ReplaceAll(version, "-", ""), Name: name, Up: wholeFile(up, tx), Format: d.Name()}
	downPath := path.Join(p, "down.sql")
	down, err := readFile(fsys, downPath)
	switch {
	case err == nil:
		m.Down = wholeFile(down, tx)
	case !errors.Is(err, fs.ErrNotExist):
		return Migration{}, fileError(downPath, 0, err)
	}
	return m, nil
}

// dieselRunInTransaction reads run_in_transaction from metadata.toml.
func dieselRunInTransaction(toml string) bool {
	sc := bufio.NewScanner(strings.NewReader(toml))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == "run_in_transaction" {
			return strings.TrimSpace(v) != "false"
		}
	}
	return true
}

// isDir reports whether the entry dir/e is a directory, following a
// symbolic link.
func isDir(fsys fs.FS, dir string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return e.IsDir()
	}
	info, err := fs.Stat(fsys, path.Join(dir, e.Name()))
	return err == nil && info.IsDir()
}

// isRegular reports whether name is a regular file, following a symbolic
// link.
func isRegular(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}
