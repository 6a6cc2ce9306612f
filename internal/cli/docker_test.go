package cli

import (
	"os"
	"strings"
	"testing"
)

// TestCheckDocker replays a small history on a Docker server end to end.
// It needs the image .ci/postgres-image.sh builds (no registry is reachable
// from CI): CI fails without it unless it says why Docker tests are skipped.
func TestCheckDocker(t *testing.T) {
	image := os.Getenv("SCHEMAGATE_TEST_IMAGE")
	if image == "" {
		if reason := os.Getenv("SCHEMAGATE_TEST_DOCKER_SKIP"); reason != "" {
			t.Skip("Docker tests skipped: " + reason)
		}
		if os.Getenv("CI") == "true" {
			t.Fatal("SCHEMAGATE_TEST_IMAGE is not set: .ci/run builds it with .ci/postgres-image.sh")
		}
		t.Skip("set SCHEMAGATE_TEST_IMAGE to an image built by .ci/postgres-image.sh")
	}
	dir := gitRepo(t, baseHistory, map[string]string{
		"db/000007_items.up.sql":   "CREATE TABLE items (id bigint PRIMARY KEY);\nCREATE INDEX items_id_idx ON items (id);",
		"db/000007_items.down.sql": "DROP TABLE items;",
	})
	rep, stderr, code := runJSON(t, dir, "check", "--db", "docker", "--image", image, "--fail-on", "never", "db")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "in Docker") || !strings.Contains(stderr, "replayed 5 of 5 migrations up, down and up") {
		t.Errorf("stderr:\n%s", stderr)
	}
	for _, f := range rep.Findings {
		if f.Rule == "up-fails" || f.Rule == "down-not-reverting" {
			t.Errorf("unexpected replay finding %s: %s", f.Rule, f.Message)
		}
	}
}
