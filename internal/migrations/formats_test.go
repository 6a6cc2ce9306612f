package migrations

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of testdata")

// The tests load every testdata/<format>/valid/<case>/ and
// testdata/<format>/invalid/<case>/ directory with its format and compare
// what loaded, and the errors, with <case>/want.txt, one block per
// migration as render writes it. `go test ./internal/migrations -update`
// rewrites the want.txt files; review their diffs like code.

// testCase is one example directory.
type testCase struct {
	format Format
	valid  bool
	dir    string
}

func testCases(t *testing.T) []testCase {
	t.Helper()
	var cases []testCase
	for _, f := range Formats() {
		for _, kind := range []string{"valid", "invalid"} {
			dirs, err := filepath.Glob(filepath.Join("testdata", f.Name(), kind, "*"))
			if err != nil {
				t.Fatal(err)
			}
			for _, dir := range dirs {
				if info, err := os.Stat(dir); err == nil && info.IsDir() {
					cases = append(cases, testCase{format: f, valid: kind == "valid", dir: dir})
				}
			}
		}
	}
	return cases
}

func TestFormats(t *testing.T) {
	cases := testCases(t)
	valid := map[string]bool{}
	for _, c := range cases {
		valid[c.format.Name()] = valid[c.format.Name()] || c.valid
		name := strings.TrimPrefix(filepath.ToSlash(c.dir), "testdata/")
		t.Run(name, func(t *testing.T) {
			ms, err := c.format.Load(os.DirFS(c.dir), ".")
			var le *LoadErrors
			if err != nil && !errors.As(err, &le) {
				t.Fatalf("Load: %v", err)
			}
			switch {
			case c.valid && err != nil:
				t.Errorf("Load of a valid case failed:\n%v", err)
			case !c.valid && le == nil:
				t.Errorf("Load of an invalid case returned no *LoadErrors")
			}
			checkInvariants(t, c.format, ms)
			got := render(ms, le, "")
			compareGolden(t, filepath.Join(c.dir, "want.txt"), got)

			// Loading the same directory as a subdirectory of an fs.FS
			// gives the same migrations with the subdirectory in their
			// paths.
			parent, base := filepath.Split(c.dir)
			ms, err = c.format.Load(os.DirFS(parent), base)
			le = nil
			errors.As(err, &le)
			if again := render(ms, le, base+"/"); again != got {
				t.Errorf("Load(fsys, %q) differs from Load on the directory itself:\n%s", base, again)
			}
		})
	}
	for _, f := range Formats() {
		if !valid[f.Name()] {
			t.Errorf("format %s has no testdata/%s/valid case", f.Name(), f.Name())
		}
	}
}

// TestDetect checks that auto-detection picks the right format for every
// valid example.
func TestDetect(t *testing.T) {
	for _, c := range testCases(t) {
		if !c.valid {
			continue
		}
		t.Run(filepath.ToSlash(c.dir), func(t *testing.T) {
			f, err := Detect(os.DirFS(c.dir), ".")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := f.Name(), c.format.Name(); got != want {
				t.Errorf("Detect = %s, want %s", got, want)
			}
		})
	}
}

// TestDetectExclusive checks that no format but plain claims another
// format's valid example, whatever the order Detect tries them in.
func TestDetectExclusive(t *testing.T) {
	for _, c := range testCases(t) {
		if !c.valid {
			continue
		}
		for _, f := range Formats() {
			if f.Name() == c.format.Name() || f.Name() == "plain" {
				continue
			}
			if f.Detect(os.DirFS(c.dir), ".") {
				t.Errorf("%s detects %s", f.Name(), filepath.ToSlash(c.dir))
			}
		}
	}
}

// checkInvariants checks what every format promises about its migrations.
func checkInvariants(t *testing.T, f Format, ms []Migration) {
	t.Helper()
	for i, m := range ms {
		if m.Position != i {
			t.Errorf("%s: Position = %d, want %d", m.ID, m.Position, i)
		}
		if m.Format != f.Name() {
			t.Errorf("%s: Format = %q, want %q", m.ID, m.Format, f.Name())
		}
		if m.ID == "" {
			t.Errorf("migration %d has no ID", i)
		}
		if m.Up == nil {
			t.Errorf("%s: no up script", m.ID)
			continue
		}
		for _, s := range []*Script{m.Up, m.Down} {
			if s == nil {
				continue
			}
			text := s.File.Text
			if s.Start < 0 || s.Start > s.End || s.End > len(text) {
				t.Errorf("%s: region [%d,%d) outside %s (%d bytes)", m.ID, s.Start, s.End, s.Path(), len(text))
				continue
			}
			if s.Start != 0 && text[s.Start-1] != '\n' && text[:s.Start] != sqlparse.BOM {
				t.Errorf("%s: %s: script starts in the middle of a line, at %d", m.ID, s.Path(), s.Start)
			}
			if s.Start == 0 && strings.HasPrefix(text, sqlparse.BOM) {
				t.Errorf("%s: %s: script starts at the byte order mark", m.ID, s.Path())
			}
		}
		if m.Down != nil && m.Down.Path() == m.Up.Path() && m.Down.File != m.Up.File {
			t.Errorf("%s: up and down of %s are two *sqlparse.File", m.ID, m.Up.Path())
		}
	}
}

// render writes migrations and load errors as text for a golden file,
// with trim removed from the start of every path:
//
//	0 id=000001 name=create_users
//	  up 000001_create_users.up.sql:1 implicit transaction
//	    | CREATE TABLE users (id bigint);
//	  down 000001_create_users.down.sql:1 implicit transaction
//	    | DROP TABLE users;
//	error: 2_orphan.down.sql: down migration without an up migration: ...
//
// Script lines are the script's SQL exactly, with "\r", a byte order mark
// and "\" escaped; "\ no newline at end" marks SQL that does not end with
// a newline.
func render(ms []Migration, le *LoadErrors, trim string) string {
	var b strings.Builder
	p := func(s string) string {
		if t, ok := strings.CutPrefix(filepath.ToSlash(s), trim); ok {
			return t
		}
		return "!" + s // a path outside trim: fails the comparison
	}
	script := func(dir string, s *Script) {
		if s == nil {
			return
		}
		fmt.Fprintf(&b, "  %s %s:%d %s\n", dir, p(s.Path()), s.Line(), s.Tx)
		for _, o := range s.Origins {
			fmt.Fprintf(&b, "    @%d from %s:%d %s\n", o.Offset, p(o.Path), o.Line, strings.TrimSpace(o.Text))
		}
		sql := s.SQL()
		if sql == "" {
			b.WriteString("    (empty)\n")
			return
		}
		esc := strings.NewReplacer(`\`, `\\`, "\r", `\r`, sqlparse.BOM, `\ufeff`)
		lines := strings.Split(sql, "\n")
		last := len(lines) - 1
		if lines[last] == "" {
			lines = lines[:last]
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "    | %s\n", esc.Replace(l))
		}
		if !strings.HasSuffix(sql, "\n") {
			b.WriteString("    \\ no newline at end\n")
		}
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "%d id=%s name=%s\n", m.Position, m.ID, m.Name)
		if r := m.Revision; r != nil {
			fmt.Fprintf(&b, "  revision line=%d parents=%q depends_on=%q branch_labels=%q needs_connection=%t\n",
				r.Line, r.Parents, r.DependsOn, r.BranchLabels, r.NeedsConnection)
		}
		script("up", m.Up)
		script("down", m.Down)
	}
	if le != nil {
		for _, fe := range le.Files {
			e := *fe
			e.Path = p(e.Path)
			fmt.Fprintf(&b, "error: %s\n", e.Error())
		}
	}
	return b.String()
}

// compareGolden compares got with the file want, or rewrites want with
// -update.
func compareGolden(t *testing.T, want, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(b) != got {
		t.Errorf("%s differs (run go test -update and review the diff):\n--- got\n%s--- want\n%s", want, got, b)
	}
}
