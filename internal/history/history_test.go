package history

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLineChanged: the lines a change edited in a file that existed, every
// line of a file it added, and none of a file it left alone.
func TestLineChanged(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "db/1.sql"), "a;\nb;\nc;\nd;\ne;\n")
	write(t, filepath.Join(dir, "db/2.sql"), "x;\n")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	// Line 2 edited, line 4 deleted, a line added at the end.
	write(t, filepath.Join(dir, "db/1.sql"), "a;\nB;\nc;\ne;\nf;\n")
	write(t, filepath.Join(dir, "db/3.sql"), "new;\n")
	t.Chdir(dir)

	c, err := Since(context.Background(), "main", "db")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		line int
		want bool
	}{
		{"db/1.sql", 1, false}, {"db/1.sql", 2, true}, {"db/1.sql", 3, false},
		// The deletion of old line 4 shows between new lines 3 and 4.
		{"db/1.sql", 4, true},
		{"db/1.sql", 5, true},
		{"db/1.sql", 0, true}, // the file as a whole
		{"db/3.sql", 1, true}, {"db/3.sql", 9, true},
		{"db/2.sql", 1, false},
	} {
		if got := c.LineChanged(tc.file, tc.line); got != tc.want {
			t.Errorf("LineChanged(%s, %d) = %v, want %v", tc.file, tc.line, got, tc.want)
		}
	}
}

func TestFetchWithoutRemote(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "a.sql"), "a;\n")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "base")

	head := gitRun(t, dir, "rev-parse", "HEAD")
	if fetched, err := Fetch(context.Background(), dir, head); err != nil || fetched {
		t.Errorf("Fetch of a commit the clone has: %v, %v", fetched, err)
	}
	missing := "0123456789abcdef0123456789abcdef01234567"
	_, err := Fetch(context.Background(), dir, missing)
	if !errors.Is(err, ErrUnknownRef) || !strings.Contains(err.Error(), "fetch-depth: 2") || !strings.Contains(err.Error(), "no remote origin") {
		t.Errorf("err = %v, want it to say there is no origin and which fetch-depth to set", err)
	}
}

// TestFetchShallow: a shallow clone lacks the base commit; Fetch gets it
// from origin, and Since can then compare with it.
func TestFetchShallow(t *testing.T) {
	origin := t.TempDir()
	gitRun(t, origin, "init", "-q", "-b", "main")
	gitRun(t, origin, "config", "uploadpack.allowAnySHA1InWant", "true")
	write(t, filepath.Join(origin, "db/1.sql"), "a;\n")
	gitRun(t, origin, "add", "-A")
	gitRun(t, origin, "commit", "-q", "-m", "base")
	base := gitRun(t, origin, "rev-parse", "HEAD")
	write(t, filepath.Join(origin, "db/2.sql"), "b;\n")
	gitRun(t, origin, "add", "-A")
	gitRun(t, origin, "commit", "-q", "-m", "head")

	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, filepath.Dir(clone), "clone", "-q", "--depth=1", "file://"+origin, clone)
	if _, err := Since(context.Background(), base, clone); !errors.Is(err, ErrUnknownRef) {
		t.Fatalf("Since before the fetch: %v, want ErrUnknownRef", err)
	}
	fetched, err := Fetch(context.Background(), clone, base)
	if err != nil || !fetched {
		t.Fatalf("Fetch: %v, %v", fetched, err)
	}
	c, err := Since(context.Background(), base, filepath.Join(clone, "db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Added) != 1 || !c.Added[filepath.Join(clone, "db/2.sql")] || len(c.Modified) != 0 {
		t.Errorf("changes after the fetch: added %v, modified %v", c.Added, c.Modified)
	}

	// A branch of origin that the clone does not track: fetched into
	// its remote-tracking ref.
	gitRun(t, origin, "branch", "release", base)
	if fetched, err := Fetch(context.Background(), clone, "origin/release"); err != nil || !fetched {
		t.Fatalf("Fetch origin/release: %v, %v", fetched, err)
	}
	if got := gitRun(t, clone, "rev-parse", "origin/release"); got != base {
		t.Errorf("origin/release = %s, want %s", got, base)
	}
}
