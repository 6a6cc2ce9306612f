package migrations

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"testing/fstest"
)

// fuzzLoad loads one fuzzed file with f and checks that every script it
// returns is a region of that file.
func fuzzLoad(t *testing.T, f Format, name string, data []byte) {
	ms, _ := f.Load(fstest.MapFS{name: {Data: data}}, ".")
	for _, m := range ms {
		for _, s := range []*Script{m.Up, m.Down} {
			if s == nil {
				continue
			}
			if s.File.Text != string(data) {
				t.Fatalf("%s: script text is not the file's", m.ID)
			}
			if s.Start < 0 || s.Start > s.End || s.End > len(data) {
				t.Fatalf("%s: region [%d,%d) outside the %d-byte file", m.ID, s.Start, s.End, len(data))
			}
			_ = s.SQL()
			_ = s.Line()
		}
		if m.Up != nil && m.Down != nil && m.Up.File == m.Down.File && m.Up.End > m.Down.Start {
			t.Fatalf("%s: up [%d,%d) overlaps down [%d,%d)", m.ID, m.Up.Start, m.Up.End, m.Down.Start, m.Down.End)
		}
	}
}

// addSeeds adds every .sql file under the testdata of a format.
func addSeeds(f *testing.F, format string) {
	files, _ := filepath.Glob(filepath.Join("testdata", format, "*", "*", "*.sql"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzGoose(f *testing.F) {
	addSeeds(f, "goose")
	f.Add([]byte("-- +goose Up\r\n-- +goose StatementBegin\r\nSELECT 1;\r\n-- +goose StatementEnd\r\n-- +goose Down\r\n"))
	f.Add([]byte("\uFEFF-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, Goose{}, "00001_fuzz.sql", data)
	})
}

func FuzzDbmate(f *testing.F) {
	addSeeds(f, "dbmate")
	f.Add([]byte("-- migrate:up transaction:false\r\nSELECT 1;\r\n-- migrate:down\r\n"))
	f.Add([]byte("\uFEFF--migrate:up\n--migrate:down"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, Dbmate{}, "20240101000000_fuzz.sql", data)
	})
}

func FuzzSQLMigrate(f *testing.F) {
	addSeeds(f, "sql-migrate")
	f.Add([]byte("-- +migrate Up notransaction\nSELECT 1;\n-- +migrate Down\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, SQLMigrate{}, "1_fuzz.sql", data)
	})
}

var flywayVersion = regexp.MustCompile(`^[0-9]+(?:[._][0-9]+)*$`)

// FuzzFlywayVersion checks that compareFlywayVersion is an order: equal to
// itself, antisymmetric, and blind to the separator and to leading zeros.
func FuzzFlywayVersion(f *testing.F) {
	f.Add("1", "1.0")
	f.Add("1.2.9", "1.2.10")
	f.Add("1_1", "1.1")
	f.Add("007.0", "7")
	f.Add("99999999999999999999", "1.99999999999999999999")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !flywayVersion.MatchString(a) || !flywayVersion.MatchString(b) {
			return
		}
		if c := compareFlywayVersion(a, a); c != 0 {
			t.Fatalf("compare(%q, %q) = %d", a, a, c)
		}
		ab, ba := compareFlywayVersion(a, b), compareFlywayVersion(b, a)
		if ab != -ba {
			t.Fatalf("compare(%q, %q) = %d but compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if c := compareFlywayVersion(flywayID(a), a); c != 0 {
			t.Fatalf("%q and its ID %q compare %d", a, flywayID(a), c)
		}
		if c := compareFlywayVersion("0"+a, a); c != 0 {
			t.Fatalf("%q with a leading zero compares %d", a, c)
		}
		if c := compareFlywayVersion(a+".0", a); c != 0 {
			t.Fatalf("%q with a trailing .0 compares %d", a, c)
		}
		if c := compareFlywayVersion(a+".1", a); c != 1 {
			t.Fatalf("%q.1 compares %d with %q", a, c, a)
		}
	})
}

// FuzzAlembicRevision reads fuzzed revision files: no panic, and every
// line a revision reports is in its file.
func FuzzAlembicRevision(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "alembic", "*", "*", "*", "versions", "*.py"))
	more, _ := filepath.Glob(filepath.Join("testdata", "alembic", "*", "*", "versions", "*.py"))
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"env.py": {Data: nil}, "versions/r.py": {Data: data}}
		ms, _ := Alembic{}.Load(fsys, ".")
		for _, m := range ms {
			lines := m.Up.Source.Lines()
			if r := m.Revision; r.Line < 1 || r.Line > lines {
				t.Fatalf("revision line %d outside the %d-line file", r.Line, lines)
			}
			for _, s := range []*Script{m.Up, m.Down} {
				if s != nil && (s.Origins[0].Line < 1 || s.Origins[0].Line > lines) {
					t.Fatalf("def line %d outside the %d-line file", s.Origins[0].Line, lines)
				}
			}
		}
	})
}
