package migrations

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Flyway is the SQL migration convention of Flyway (flywaydb.org), with
// its default prefixes and separator:
//
//	db/migration/
//	  V1__create_users.sql          versioned migration 1
//	  V1.1__add_users_email.sql     versioned migration 1.1
//	  V2_0_1__index_users.sql       versioned migration 2.0.1
//	  V2_0_1__index_users.sql.conf  its script configuration
//	  U1.1__add_users_email.sql     undo of 1.1 (its down migration)
//	  R__users_view.sql             repeatable, run after the versioned ones
//
// A version is numbers separated by "." or "_", compared part by part as
// numbers (1.2.10 after 1.2.9; "1_1" is "1.1"; missing parts count as 0, so
// 1.0 is 1). A migration's ID is the version as written with "_" turned
// into "."; its Name is the description as written. Repeatable migrations
// come after every versioned one, ordered by description, which is also
// their ID; they have no down migration. Flyway scans the directory and its
// subdirectories, and so does Load. Each script runs in a transaction
// (TxWrapped) unless its script configuration file (the script's name plus
// ".conf") says executeInTransaction=false (TxNone), or, with no such
// setting, every statement of it is one that Flyway runs outside a
// transaction by itself (CREATE INDEX CONCURRENTLY: flywayNonTransactional). .sql files that do not
// look like migrations (callbacks such as afterMigrate.sql) are ignored, as
// Flyway ignores them; names that start like one but have a malformed
// version are reported.
type Flyway struct{}

// FlywayFilename matches the name of a Flyway SQL migration; its groups
// are the prefix ("V", "U", or "" for a repeatable migration), the
// version ("" for a repeatable migration) and the description.
var FlywayFilename = regexp.MustCompile(`^(?:([VU])([0-9]+(?:[._][0-9]+)*)|R)__(.*)\.sql$`)

// flywayLike matches names meant as Flyway migrations, malformed or not.
var flywayLike = regexp.MustCompile(`^[VUR][^_]*__.*\.sql$`)

// Name implements Format.
func (Flyway) Name() string { return "flyway" }

// Detect implements Format: a Flyway directory has V, U or R migrations,
// in it or in one of its first subdirectories.
func (Flyway) Detect(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	if slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return FlywayFilename.MatchString(e.Name()) }) {
		return true
	}
	subdirs := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if subdirs++; subdirs > 20 {
			break
		}
		sub, err := fs.ReadDir(fsys, path.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if slices.ContainsFunc(sub, func(e fs.DirEntry) bool { return FlywayFilename.MatchString(e.Name()) }) {
			return true
		}
	}
	return false
}

// flywayFile is one migration file.
type flywayFile struct {
	prefix, version, desc, path string
}

// Load implements Format.
func (fw Flyway) Load(fsys fs.FS, dir string) ([]Migration, error) {
	var (
		versioned, undos, repeatable []flywayFile
		errs                         []*FileError
	)
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			errs = append(errs, fileError(p, 0, err))
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		m := FlywayFilename.FindStringSubmatch(name)
		if m == nil {
			if flywayLike.MatchString(name) {
				errs = append(errs, fileError(p, 0, errors.New("malformed Flyway file name: Flyway ignores it; name it V<version>__<description>.sql with a version of numbers separated by . or _ (U for undo, R__ without a version for repeatable)")))
			}
			return nil
		}
		f := flywayFile{prefix: m[1], version: m[2], desc: m[3], path: p}
		switch f.prefix {
		case "V":
			versioned = append(versioned, f)
		case "U":
			undos = append(undos, f)
		default:
			repeatable = append(repeatable, f)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	slices.SortStableFunc(versioned, func(a, b flywayFile) int {
		if c := compareFlywayVersion(a.version, b.version); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	slices.SortStableFunc(repeatable, func(a, b flywayFile) int {
		if c := strings.Compare(a.desc, b.desc); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})

	undoOf := make([]*flywayFile, len(versioned))
	for i := range undos {
		u := &undos[i]
		j := slices.IndexFunc(versioned, func(v flywayFile) bool { return compareFlywayVersion(v.version, u.version) == 0 })
		switch {
		case j < 0:
			errs = append(errs, fileError(u.path, 0, fmt.Errorf("undo migration without a versioned migration: Flyway needs V%s__<description>.sql", u.version)))
		case undoOf[j] != nil:
			errs = append(errs, fileError(u.path, 0, fmt.Errorf("second undo migration for version %s (the first is %s): remove one", flywayID(u.version), relPath(dir, undoOf[j].path))))
		default:
			undoOf[j] = u
		}
	}

	var ms []Migration
	for i, v := range versioned {
		up, fe := fw.script(fsys, v.path)
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		m := Migration{ID: flywayID(v.version), Name: v.desc, Up: up, Format: fw.Name()}
		if u := undoOf[i]; u != nil {
			if m.Down, fe = fw.script(fsys, u.path); fe != nil {
				errs = append(errs, fe)
				continue
			}
		}
		ms = append(ms, m)
	}
	for _, r := range repeatable {
		up, fe := fw.script(fsys, r.path)
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		ms = append(ms, Migration{ID: r.desc, Name: r.desc, Up: up, Format: fw.Name()})
	}
	return number(ms), loadErrors(errs)
}

// script reads the script at p and its configuration.
func (Flyway) script(fsys fs.FS, p string) (*Script, *FileError) {
	f, err := readFile(fsys, p)
	if err != nil {
		return nil, fileError(p, 0, err)
	}
	tx := TxWrapped
	if flywayNonTransactional.MatchString(f.Text) && allNonTransactional(f) {
		tx = TxNone
	}
	conf := p + ".conf"
	if b, err := fs.ReadFile(fsys, conf); err == nil {
		if inTx, set := flywayConfTx(string(b)); set && inTx {
			tx = TxWrapped
		} else if set {
			tx = TxNone
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fileError(conf, 0, err)
	}
	return wholeFile(f, tx), nil
}

// flywayNonTransactional finds, at the start of a line, the statements that
// Flyway's PostgreSQL parser runs outside a transaction by itself, with no
// script configuration: CREATE or DROP INDEX CONCURRENTLY, REINDEX of a
// schema, database or system, VACUUM, DISCARD ALL, ALTER SYSTEM, CREATE or
// DROP DATABASE, TABLESPACE or SUBSCRIPTION.
var flywayNonTransactional = regexp.MustCompile(`(?im)^[ \t]*(?:(?:CREATE|DROP)(?:[ \t]+UNIQUE)?[ \t]+INDEX[ \t]+CONCURRENTLY|REINDEX(?:[ \t]+VERBOSE)?[ \t]+(?:SCHEMA|DATABASE|SYSTEM)|VACUUM|DISCARD[ \t]+ALL|ALTER[ \t]+SYSTEM|(?:CREATE|DROP)[ \t]+(?:DATABASE|TABLESPACE|SUBSCRIPTION))\b`)

// allNonTransactional: every statement of the script is one that Flyway
// runs outside a transaction. A script that mixes them with others Flyway
// refuses (unless told mixed=true) and, with mixed, runs in a transaction
// all the same, where CONCURRENTLY fails: so it stays TxWrapped, and
// concurrently-in-transaction reports it.
func allNonTransactional(f *sqlparse.File) bool {
	sc := sqlparse.Parse(f, 0, len(f.Text))
	if len(sc.Statements) == 0 {
		return false
	}
	for _, st := range sc.Statements {
		if !flywayNonTransactional.MatchString(strings.TrimSpace(st.Text)) {
			return false
		}
	}
	return true
}

// flywayConfTx reads executeInTransaction from a script configuration file
// (Java properties: key=value lines, "#" and "!" comments); set says the
// file gives it.
func flywayConfTx(conf string) (tx, set bool) {
	tx = true
	sc := bufio.NewScanner(strings.NewReader(conf))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok && strings.TrimSpace(k) == "executeInTransaction" {
			tx, set = !strings.EqualFold(strings.TrimSpace(v), "false"), true
		}
	}
	return tx, set
}

// relPath is p relative to dir, for messages (Discover rebases only the
// paths of scripts and errors).
func relPath(dir, p string) string {
	if dir == "." {
		return p
	}
	return strings.TrimPrefix(p, dir+"/")
}

// flywayID is a version as written, with "_" separators turned into ".".
func flywayID(version string) string { return strings.ReplaceAll(version, "_", ".") }

// compareFlywayVersion compares two Flyway versions (numbers separated by
// "." or "_") part by part, as numbers of any size; a missing part counts
// as 0, so "1.0" equals "1".
func compareFlywayVersion(a, b string) int {
	pa, pb := flywayParts(a), flywayParts(b)
	for i := 0; i < max(len(pa), len(pb)); i++ {
		x, y := "0", "0"
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if c := cmpDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

func flywayParts(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '_' })
}
