package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckConfigPGVersion: check lints for the pg-version of the config,
// as lint does, though the throwaway server is newer.
func TestCheckConfigPGVersion(t *testing.T) {
	dir := gitRepo(t, map[string]string{
		".schemagate.yaml":     "pg-version: 10\n",
		"db/000001_t.up.sql":   "CREATE TABLE t (id bigint PRIMARY KEY);",
		"db/000001_t.down.sql": "DROP TABLE t;",
		"db/000002_c.up.sql":   "SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN c int DEFAULT 0;",
		"db/000002_c.down.sql": "SET lock_timeout = '5s';\nALTER TABLE t DROP COLUMN c;",
	}, nil)
	rep, stderr, code := runJSON(t, dir, "check", "--db", "local", "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := strings.Join(rulesAndFiles(rep), "\n"); !strings.Contains(got, "add-column-rewrite db/000002_c.up.sql") {
		t.Errorf("findings:\n%s\nwant add-column-rewrite, as PostgreSQL 10 rewrites the table", got)
	}
}

// TestGitHubPathsFromRepositoryRoot: on a runner whose workflow checked the
// repository out in a folder of the workspace (actions/checkout's path),
// annotations and SARIF name files from the repository's root, where
// GitHub places them, as the Action's do.
func TestGitHubPathsFromRepositoryRoot(t *testing.T) {
	ws := t.TempDir()
	repo := gitRepo(t, map[string]string{"db/000001_t.up.sql": "DROP TABLE t;"}, nil)
	if err := os.Rename(repo, filepath.Join(ws, "g")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_WORKSPACE", ws)
	t.Chdir(ws)
	for _, format := range []string{"github", "sarif"} {
		var stdout, stderr bytes.Buffer
		Run(context.Background(), []string{"lint", "--output", format, "--fail-on", "never", "g/db"}, &stdout, &stderr)
		out := stdout.String()
		if !strings.Contains(out, "db/000001_t.up.sql") || strings.Contains(out, "g/db/") {
			t.Errorf("--output %s names the file from the workspace, not the repository:\n%s%s", format, out, stderr.String())
		}
	}
}

// TestConfigValueErrors: a bad value in the config file is reported as the
// file's, with its key, not as a flag with the usage after it.
func TestConfigValueErrors(t *testing.T) {
	for key, val := range map[string]string{"fail-on": "bogus", "pg-version": "3", "migration-format": "nope"} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "db"), 0o755)
		os.WriteFile(filepath.Join(dir, ".schemagate.yaml"), []byte(key+": "+val+"\n"), 0o644)
		t.Chdir(dir)
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), []string{"lint", "db"}, &stdout, &stderr)
		msg := stderr.String()
		if code != ExitFailure || !strings.Contains(msg, ".schemagate.yaml: "+key) || strings.Contains(msg, "--"+key) || strings.Contains(msg, "Usage") {
			t.Errorf("%s: %s: exit %d, stderr:\n%s\nwant exit 2 naming the file and key, without the usage", key, val, code, msg)
		}
	}
}

// TestCheckOneFindingPerTypo: a statement that does not parse is one
// finding, the lint's syntax-error, which says what the replay could not
// do; not also the replay's up-fails at the same place.
func TestCheckOneFindingPerTypo(t *testing.T) {
	dir := gitRepo(t, map[string]string{
		"db/000001_a.up.sql":   "CREATE TABEL a (id int);",
		"db/000001_a.down.sql": "DROP TABLE a;",
		"db/000002_b.up.sql":   "CREATE TABLE b (id int);",
		"db/000002_b.down.sql": "DROP TABLE b;",
	}, nil)
	rep, stderr, code := runJSON(t, dir, "check", "--db", "local", "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var typo []string
	for _, f := range rep.Findings {
		if strings.HasSuffix(f.File, "000001_a.up.sql") {
			typo = append(typo, f.Rule+": "+f.Message)
		}
	}
	want := `syntax-error: syntax error at or near "TABEL"; 1 later migration after it could not be replayed`
	if len(typo) != 1 || typo[0] != want {
		t.Errorf("findings on the typo:\n%s\nwant:\n%s", strings.Join(typo, "\n"), want)
	}
}

// TestCheckTypoSyntaxErrorOff: with syntax-error turned off in the config,
// the replay's up-fails still reports the statement that does not parse.
func TestCheckTypoSyntaxErrorOff(t *testing.T) {
	dir := gitRepo(t, map[string]string{
		".schemagate.yaml":     "rules:\n  syntax-error: off\n",
		"db/000001_a.up.sql":   "CREATE TABLE a (id int);\nCREATE TABEL b (id int);",
		"db/000001_a.down.sql": "DROP TABLE a;",
	}, nil)
	rep, stderr, code := runJSON(t, dir, "check", "--db", "local", "db")
	if code != ExitFindings {
		t.Errorf("exit %d, want %d\n%s", code, ExitFindings, stderr)
	}
	if got := strings.Join(rulesAndFiles(rep), "\n"); !strings.Contains(got, "up-fails db/000001_a.up.sql") || strings.Contains(got, "syntax-error") {
		t.Errorf("findings:\n%s\nwant the up-fails alone", got)
	}
}
