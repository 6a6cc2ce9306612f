package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// gitRepo makes a repository whose first commit holds base and whose work
// tree then gets head (an empty text deletes the file), and returns it.
func gitRepo(t *testing.T, base, head map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(files map[string]string) {
		for name, text := range files {
			p := filepath.Join(dir, name)
			if text == "" {
				os.Remove(p)
				continue
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	run("init", "-q", "-b", "main")
	write(base)
	run("add", "-A")
	run("commit", "-q", "-m", "base")
	run("tag", "base")
	write(head)
	return dir
}

var baseHistory = map[string]string{
	"db/000001_users.up.sql":    "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
	"db/000001_users.down.sql":  "DROP TABLE users;",
	"db/000002_orders.up.sql":   "CREATE TABLE orders (id bigint PRIMARY KEY);",
	"db/000002_orders.down.sql": "DROP TABLE orders;",
	"db/000004_audit.up.sql":    "CREATE TABLE audit (id bigint PRIMARY KEY);",
	"db/000004_audit.down.sql":  "DROP TABLE audit;",
	"db/000006_tags.up.sql":     "CREATE TABLE tags (id bigint PRIMARY KEY);",
	"db/000006_tags.down.sql":   "DROP TABLE tags;",
}

type jsonReport struct {
	Findings []struct {
		Rule, File, Message string
	}
}

func runJSON(t *testing.T, dir string, args ...string) (jsonReport, string, int) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append(args, "--output", "json"), &stdout, &stderr)
	var rep jsonReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil && code != ExitFailure {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return rep, stderr.String(), code
}

func rulesAndFiles(rep jsonReport) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule+" "+filepath.ToSlash(f.File))
	}
	sort.Strings(out)
	return out
}

// TestChangedSinceLint: only what the change touched is reported, and the
// history findings say what was edited, deleted or added out of order.
func TestChangedSinceLint(t *testing.T) {
	dir := gitRepo(t, baseHistory, map[string]string{
		// Edited after it was merged.
		"db/000002_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
		// Deleted.
		"db/000006_tags.up.sql":   "",
		"db/000006_tags.down.sql": "",
		// New, and sorting before 000004, which existed.
		"db/000003_late.up.sql":   "ALTER TABLE users DROP COLUMN email;",
		"db/000003_late.down.sql": "ALTER TABLE users ADD COLUMN email text;",
		// New, in order, untracked.
		"db/000007_items.up.sql":   "CREATE TABLE items (id bigint PRIMARY KEY); DROP TABLE users;",
		"db/000007_items.down.sql": "DROP TABLE items;",
	})
	rep, stderr, code := runJSON(t, dir, "lint", "--changed-since", "base", "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := strings.Join(rulesAndFiles(rep), "\n")
	want := strings.Join([]string{
		"drop-column db/000003_late.up.sql",
		"drop-table db/000007_items.up.sql",
		"migration-modified db/000002_orders.up.sql",
		"migration-modified db/000006_tags.down.sql",
		"migration-modified db/000006_tags.up.sql",
		"missing-lock-timeout db/000003_late.down.sql",
		"missing-lock-timeout db/000003_late.up.sql",
		"missing-lock-timeout db/000007_items.down.sql",
		"missing-lock-timeout db/000007_items.up.sql",
		"out-of-order db/000003_late.up.sql",
	}, "\n")
	if got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
}

// TestChangedSinceUnknownRef: a ref the clone lacks is a clear exit 2.
func TestChangedSinceUnknownRef(t *testing.T) {
	dir := gitRepo(t, baseHistory, nil)
	_, stderr, code := runJSON(t, dir, "lint", "--changed-since", "origin/nope", "db")
	if code != ExitFailure || !strings.Contains(stderr, "fetch-depth: 0") {
		t.Errorf("exit %d, stderr %q; want 2 and advice on fetch-depth", code, stderr)
	}
}

// TestChangedSinceCheckFastPass: check replays the history before the first
// changed migration in a fast pass, and only the changed ones up, down and
// up.
func TestChangedSinceCheckFastPass(t *testing.T) {
	dir := gitRepo(t, baseHistory, map[string]string{
		"db/000007_items.up.sql":   "CREATE TABLE items (id bigint PRIMARY KEY, tag bigint REFERENCES tags (id));",
		"db/000007_items.down.sql": "DROP TABLE items;",
	})
	_, stderr, code := runJSON(t, dir, "check", "--db", "local", "--changed-since", "base", "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "replayed 5 of 5 migrations (1 up, down and up; 4 in a fast pass)") {
		t.Errorf("stderr does not show the fast pass:\n%s", stderr)
	}
}

// TestChangedSinceOldMigrationFails: an unchanged migration that fails on
// the throwaway server stops the replay before the changed ones: the check
// cannot do its job, and exits 2 saying where and why, rather than
// passing with the changed migrations unreplayed.
func TestChangedSinceOldMigrationFails(t *testing.T) {
	for name, old := range map[string]string{
		"fails":        "CREATE TABLE users (id bigint PRIMARY KEY);\nGRANT SELECT ON users TO schemagate_no_such_role;",
		"syntax error": "CREATE TABEL users (id bigint PRIMARY KEY);",
	} {
		t.Run(name, func(t *testing.T) {
			dir := gitRepo(t, map[string]string{
				"db/000001_users.up.sql":    old,
				"db/000001_users.down.sql":  "DROP TABLE users;",
				"db/000002_orders.up.sql":   "CREATE TABLE orders (id bigint PRIMARY KEY);",
				"db/000002_orders.down.sql": "DROP TABLE orders;",
			}, map[string]string{
				"db/000003_items.up.sql":   "CREATE TABLE items (id bigint PRIMARY KEY);",
				"db/000003_items.down.sql": "DROP TABLE items;",
			})
			_, stderr, code := runJSON(t, dir, "check", "--db", "local", "--changed-since", "base", "db")
			if code != ExitFailure {
				t.Errorf("exit %d, want %d: a check whose changed migrations were not replayed must not pass\n%s", code, ExitFailure, stderr)
			}
			for _, want := range []string{"the replay stopped at migration 000001, which this change did not touch (db/000001_users.up.sql:", "up-fails"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestChangedSinceOneFile: a goose migration keeps up and down in one
// file; editing it is one migration-modified, not one per half.
func TestChangedSinceOneFile(t *testing.T) {
	base := map[string]string{
		"db/00001_users.sql": "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE users;\n",
	}
	dir := gitRepo(t, base, map[string]string{
		"db/00001_users.sql": "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- +goose Down\nDROP TABLE users;\n",
	})
	rep, stderr, code := runJSON(t, dir, "lint", "--changed-since", "base", "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, want := strings.Join(rulesAndFiles(rep), "\n"), "migration-modified db/00001_users.sql\nmissing-lock-timeout db/00001_users.sql"; got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
}
