package cli

import (
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
