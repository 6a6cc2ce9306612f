package alembic

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemagate/schemagate/internal/migrations"
)

var update = flag.Bool("update", false, "rewrite want.txt")

// TestOffline runs Alembic over testdata/offline and compares every
// script's SQL, and the line each statement is reported at, with
// want.txt. It needs a Python with Alembic and SQLAlchemy (Debian's
// python3-alembic, which internal/python finds at /usr/bin/python3).
func TestOffline(t *testing.T) {
	dir := filepath.Join("testdata", "offline")
	f, ms, err := migrations.Discover(dir, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "alembic" {
		t.Fatalf("detected %s, want alembic", f.Name())
	}
	p, err := Generate(context.Background(), dir, "", ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Failures) > 0 {
		t.Errorf("failures: %v", p.Failures[0].Err)
	}
	got := render(ms, dir)
	want := filepath.Join(dir, "want.txt")
	if *update {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != got {
		t.Errorf("%s differs (go test -update, then review the diff):\n%s", want, got)
	}
}

// render writes each statement of each script after the source line it is
// reported at.
func render(ms []migrations.Migration, dir string) string {
	var b strings.Builder
	for _, m := range ms {
		for _, s := range []*migrations.Script{m.Up, m.Down} {
			if s == nil {
				continue
			}
			name := "up"
			if s == m.Down {
				name = "down"
			}
			fmt.Fprintf(&b, "== %s %s\n", m.ID, name)
			text := s.SQL()
			for i, o := range s.Origins {
				end := s.End
				if i+1 < len(s.Origins) {
					end = s.Origins[i+1].Offset
				}
				rel, _ := filepath.Rel(dir, o.Path)
				fmt.Fprintf(&b, "%s:%d: %s\n", filepath.ToSlash(rel), o.Line, strings.TrimSpace(o.Text))
				for _, l := range strings.Split(strings.TrimSpace(text[o.Offset-s.Start:end-s.Start]), "\n") {
					fmt.Fprintf(&b, "    | %s\n", l)
				}
			}
		}
	}
	return b.String()
}
