package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dockerImage is the PostgreSQL image of the Docker tests, or skips (and
// fails in CI, unless .ci/run said why Docker tests cannot run).
func dockerImage(t *testing.T) string {
	t.Helper()
	image := os.Getenv("SCHEMAGATE_TEST_IMAGE")
	if image != "" {
		return image
	}
	if reason := os.Getenv("SCHEMAGATE_TEST_DOCKER_SKIP"); reason != "" {
		t.Skip("Docker tests skipped: " + reason)
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("SCHEMAGATE_TEST_IMAGE is not set: .ci/run builds it with .ci/postgres-image.sh")
	}
	t.Skip("set SCHEMAGATE_TEST_IMAGE to an image built by .ci/postgres-image.sh")
	return ""
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// TestActionInContainer runs the Action's entrypoint in a container the way
// the runner runs a container action: on a network of the job's own, the
// Docker socket, the workspace and the file commands directory mounted,
// as root, in /github/workspace. The throwaway PostgreSQL is a sibling
// container started through the socket and reached over that network. The
// container is the test image (Debian 12, like the Action's runtime image)
// with the binary built here mounted in, since no registry is reachable to
// build the real image from.
func TestActionInContainer(t *testing.T) {
	image := dockerImage(t)
	if os.Geteuid() != 0 {
		// The container writes into the workspace as root, as on the
		// runner, and the test could not remove those files.
		t.Skip("runs as root only: the Action's container writes the workspace as root")
	}
	bin := build(t)
	ws := filepath.Join(t.TempDir(), "workspace")
	writeFiles(t, ws, map[string]string{
		"db/000001_users.up.sql":         "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"db/000001_users.down.sql":       "DROP TABLE users;\n",
		"db/000002_users_email.up.sql":   "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN email text;\n",
		"db/000002_users_email.down.sql": "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN email;\n",
		"db/000003_users_idx.up.sql":     "SET lock_timeout = '5s';\nCREATE INDEX users_email_idx ON users (email);\n",
		"db/000003_users_idx.down.sql":   "DROP INDEX CONCURRENTLY users_email_idx;\n",
	})
	files := t.TempDir()
	for _, f := range []string{"output", "summary"} {
		os.WriteFile(filepath.Join(files, f), nil, 0o666)
	}

	network := "schemagate-test-job-" + randomSuffix()
	if out, err := exec.Command("docker", "network", "create", network).CombinedOutput(); err != nil {
		t.Fatalf("docker network create: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "network", "rm", network).Run() })

	name := "schemagate-test-action-" + randomSuffix()
	cmd := exec.Command("docker", "run", "--rm", "--name", name,
		"--network", network,
		"--workdir", "/github/workspace",
		"-v", "/var/run/docker.sock:/var/run/docker.sock",
		"-v", files+":/github/file_commands",
		"-v", ws+":/github/workspace",
		"-v", bin+":/usr/local/bin/schemagate:ro",
		"-e", "GITHUB_ACTIONS=true", "-e", "CI=true",
		"-e", "GITHUB_WORKSPACE=/github/workspace",
		"-e", "GITHUB_OUTPUT=/github/file_commands/output",
		"-e", "GITHUB_STEP_SUMMARY=/github/file_commands/summary",
		"-e", "INPUT_COMMAND=check", "-e", "INPUT_MIGRATIONS=db", "-e", "INPUT_MIGRATION-FORMAT=auto",
		"-e", "INPUT_DB=docker", "-e", "INPUT_IMAGE="+image, "-e", "INPUT_FAIL-ON=error",
		"-e", "INPUT_STATEMENT-TIMEOUT=60s", "-e", "INPUT_CHANGED-SINCE=", "-e", "INPUT_SARIF-FILE=",
		"--entrypoint", "/usr/local/bin/schemagate",
		image, "action")
	out, err := cmd.CombinedOutput()
	t.Logf("the Action's container:\n%s", out)
	if strings.Contains(string(out), "GLIBC_") {
		t.Skipf("the binary built here does not run in %s", image)
	}
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 1 {
		t.Fatalf("docker run: %v, want exit 1 (create-index-non-concurrently)", err)
	}
	if !strings.Contains(string(out), "in Docker") || !strings.Contains(string(out), "reached via network "+network) {
		t.Errorf("the server was not started in Docker and reached over the Action's network %s", network)
	}
	if !strings.Contains(string(out), "::error col=1,endLine=2,file=db/000003_users_idx.up.sql,line=2,title=create-index-non-concurrently::") {
		t.Errorf("no create-index-non-concurrently annotation")
	}
	summary := readFile(t, filepath.Join(files, "summary"))
	for _, want := range []string{"## ❌ schemagate: 1 error", "| 000003 users_idx | 1 |", "in Docker ("} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if got := readOutputs(t, filepath.Join(files, "output")); got["errors"] != "1" || got["report-json"] != "schemagate-report.json" {
		t.Errorf("outputs: %v", got)
	}
	if _, err := os.Stat(filepath.Join(ws, "schemagate-report.json")); err != nil {
		t.Errorf("no JSON report in the workspace: %v", err)
	}
	left, _ := exec.Command("docker", "ps", "-aq", "--filter", "label=org.schemagate.throwaway=true", "--filter", "network="+network).Output()
	if strings.TrimSpace(string(left)) != "" {
		t.Errorf("containers left on the network: %s", left)
	}
}
