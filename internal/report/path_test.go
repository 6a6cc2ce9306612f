package report

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestRepoPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the table uses Unix paths")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	for _, tc := range []struct{ file, root, want string }{
		{"migrations/1.sql", "", "migrations/1.sql"},
		{"./migrations/../migrations/1.sql", "", "migrations/1.sql"},
		{"/repo/db/1.sql", "/repo", "db/1.sql"},
		{"/repo/db/1.sql", "/repo/", "db/1.sql"},
		{"/other/1.sql", "/repo", "/other/1.sql"},
		{"/repository/1.sql", "/repo", "/repository/1.sql"},
		{"db/1.sql", "db", "1.sql"},
		// A relative file is relative to the current directory.
		{"db/1.sql", dir, "db/1.sql"},
		{"db/1.sql", filepath.Dir(dir), filepath.Base(dir) + "/db/1.sql"},
		{"db/1.sql", "/nowhere", dir + "/db/1.sql"},
		{filepath.Join(dir, "db/1.sql"), ".", "db/1.sql"},
	} {
		if got := repoPath(tc.file, tc.root); got != tc.want {
			t.Errorf("repoPath(%q, %q) = %q, want %q", tc.file, tc.root, got, tc.want)
		}
	}
}
