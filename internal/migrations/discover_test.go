package migrations

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDiscoverEmptyDir(t *testing.T) {
	root := filepath.Join(t.TempDir(), "migrations")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, err := Discover(root, "auto")
	if !errors.Is(err, ErrNoMigrations) {
		t.Fatalf("Discover = %v, want ErrNoMigrations", err)
	}
	want := root + ": no migrations found: tried alembic, diesel, flyway, golang-migrate, goose, dbmate, sql-migrate, plain; name the format with --migration-format"
	if got := err.Error(); got != want {
		t.Errorf("error:\ngot  %s\nwant %s", got, want)
	}

	_, _, err = Discover(root, "goose")
	if !errors.Is(err, ErrNoMigrations) {
		t.Errorf("Discover(goose) = %v, want ErrNoMigrations", err)
	}
}

func TestDiscoverMissing(t *testing.T) {
	_, _, err := Discover(filepath.Join(t.TempDir(), "nope"), "auto")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Discover = %v, want fs.ErrNotExist", err)
	}
}

func TestDiscoverUnknownFormat(t *testing.T) {
	if _, _, err := Discover(t.TempDir(), "liquibase"); err == nil || !strings.Contains(err.Error(), "liquibase") {
		t.Errorf("Discover = %v, want an unknown format error", err)
	}
}

func TestDiscoverDir(t *testing.T) {
	root := filepath.Join("testdata", "goose", "invalid", "annotations")
	f, ms, err := Discover(root, "auto")
	if f == nil || f.Name() != "goose" {
		t.Fatalf("format = %v, want goose", f)
	}
	var le *LoadErrors
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *LoadErrors", err)
	}
	if len(ms) != 1 {
		t.Fatalf("got %d migrations, want 1", len(ms))
	}
	if got, want := ms[0].Up.Path(), filepath.Join(root, "00001_ok.sql"); got != want {
		t.Errorf("path = %s, want %s", got, want)
	}
	for _, fe := range le.Files {
		if !strings.HasPrefix(fe.Path, root+string(filepath.Separator)) {
			t.Errorf("error path %s is not in %s", fe.Path, root)
		}
	}
	wantErr := filepath.Join(root, "00003_unterminated_block.sql") + `:2: "-- +goose StatementBegin" is never closed`
	if !strings.Contains(err.Error(), wantErr) {
		t.Errorf("error %q does not contain %q", err, wantErr)
	}
}

func TestDiscoverFile(t *testing.T) {
	tests := []struct {
		path, format string // format: "" for auto
		wantFormat   string
		wantID       string
		up, down     string // first line of each script's SQL; "-" for no down
	}{
		{"testdata/goose/valid/basic/00001_create_users.sql", "", "goose", "00001", "CREATE TABLE users (", "DROP TABLE users;"},
		{"testdata/dbmate/valid/basic/20240102090000_index_users_name.sql", "", "dbmate", "20240102090000", "CREATE INDEX CONCURRENTLY users_name ON users (name);", "DROP INDEX users_name;"},
		{"testdata/sql-migrate/valid/basic/seed.sql", "", "sql-migrate", "seed.sql", "INSERT INTO users (id, name) VALUES (1, 'root');", "-"},
		{"testdata/golang-migrate/valid/basic/000001_create_users.up.sql", "", "golang-migrate", "000001", "CREATE TABLE users (", "-"},
		{"testdata/golang-migrate/valid/basic/000001_create_users.down.sql", "", "golang-migrate", "000001", "", "DROP TABLE users;"},
		{"testdata/plain/valid/natural_order/10_indexes.sql", "", "plain", "10_indexes", "CREATE INDEX CONCURRENTLY users_id ON users (id);", "-"},
		{"testdata/goose/valid/basic/schema.sql", "", "plain", "schema", "-- not a migration: no version, goose ignores it", "-"},
		{"testdata/flyway/valid/basic/V1.1__add_users_email.sql", "", "plain", "V1.1__add_users_email", "ALTER TABLE users ADD COLUMN email text;", "-"},
		{"testdata/flyway/valid/basic/V1.1__add_users_email.sql", "flyway", "flyway", "1.1", "ALTER TABLE users ADD COLUMN email text;", "-"},
		{"testdata/plain/valid/natural_order/2_seed.sql", "golang-migrate", "golang-migrate", "2_seed", "INSERT INTO users VALUES (1);", "-"},
		{"testdata/plain/valid/natural_order/crlf_bom.sql", "", "plain", "crlf_bom", "SELECT 1;", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.format, func(t *testing.T) {
			path := filepath.FromSlash(tt.path)
			f, ms, err := Discover(path, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if f.Name() != tt.wantFormat {
				t.Errorf("format = %s, want %s", f.Name(), tt.wantFormat)
			}
			if len(ms) != 1 {
				t.Fatalf("got %d migrations, want 1", len(ms))
			}
			m := ms[0]
			if m.Format != tt.wantFormat {
				t.Errorf("Migration.Format = %s, want %s", m.Format, tt.wantFormat)
			}
			if m.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", m.ID, tt.wantID)
			}
			if got := m.Up.Path(); got != path {
				t.Errorf("up path = %q, want %q exactly", got, path)
			}
			if got := firstLine(m.Up.SQL()); got != tt.up {
				t.Errorf("up starts with %q, want %q", got, tt.up)
			}
			switch {
			case tt.down == "-" && m.Down != nil:
				t.Errorf("unexpected down script %q", m.Down.SQL())
			case tt.down != "-" && m.Down == nil:
				t.Errorf("no down script, want one starting with %q", tt.down)
			case tt.down != "-":
				if got := firstLine(m.Down.SQL()); got != tt.down {
					t.Errorf("down starts with %q, want %q", got, tt.down)
				}
				if m.Down.Path() != path {
					t.Errorf("down path = %q, want %q", m.Down.Path(), path)
				}
			}
		})
	}
}

// TestDiscoverFileUnversioned checks that a file named on its own loads
// with its annotations even when its name has no version, which goose
// would ignore in a directory.
func TestDiscoverFileUnversioned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scratch.sql")
	text := "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ms, err := Discover(path, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "goose" || len(ms) != 1 || ms[0].ID != "scratch" || ms[0].Down == nil {
		t.Fatalf("got %s %+v, want one goose migration with ID scratch and a down script", f.Name(), ms)
	}
	if got := ms[0].Up.SQL(); got != "CREATE TABLE t (id int);\n" {
		t.Errorf("up = %q", got)
	}

	// Named explicitly, a file that is not a migration of that format is
	// an error about that file, at the path given.
	bad := filepath.Join("testdata", "goose", "valid", "basic", "schema.sql")
	_, _, err = Discover(bad, "goose")
	var le *LoadErrors
	if !errors.As(err, &le) || len(le.Files) != 1 || le.Files[0].Path != bad {
		t.Fatalf("Discover = %v, want one file error for %s", err, bad)
	}
	want := bad + `: missing "-- +goose Up" annotation: goose needs it to find the up migration`
	if got := le.Files[0].Error(); got != want {
		t.Errorf("error:\ngot  %s\nwant %s", got, want)
	}
}

func TestDiscoverFileNotSQL(t *testing.T) {
	path := filepath.Join("testdata", "plain", "valid", "natural_order", "notes.txt")
	if _, _, err := Discover(path, "auto"); !errors.Is(err, ErrNoMigrations) {
		t.Errorf("Discover = %v, want ErrNoMigrations", err)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSuffix(line, "\r")
}

// TestFileFS checks that the single-file file system shows the one file
// and nothing else.
func TestFileFS(t *testing.T) {
	dir := fstest.MapFS{
		"a.sql": {Data: []byte("SELECT 1;\n")},
		"b.sql": {Data: []byte("SELECT 2;\n")},
	}
	fsys := &fileFS{dir: dir, name: "a.sql"}
	if err := fstest.TestFS(fsys, "a.sql"); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Open("b.sql"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(b.sql) = %v, want fs.ErrNotExist", err)
	}
}

// TestSymlinks checks that symbolic links to migration files count as
// files.
func TestSymlinks(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "shared.sql")
	if err := os.WriteFile(target, []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "1_linked.sql")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, ms, err := Discover(dir, "plain")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].ID != "1_linked" {
		t.Errorf("got %+v, want the linked file", ms)
	}
}
