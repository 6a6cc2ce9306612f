package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// baseImages lists the images the Dockerfile's stages start FROM.
func baseImages(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && strings.EqualFold(fields[0], "FROM") {
			out = append(out, fields[1])
		}
	}
	return out
}

// TestDockerfilePinned: every base image is pinned by tag and digest, so
// that the Action's image is the same wherever and whenever it is built.
func TestDockerfilePinned(t *testing.T) {
	images := baseImages(t)
	if len(images) < 2 {
		t.Fatalf("Dockerfile: %d FROM lines, want a build and a runtime stage", len(images))
	}
	for _, ref := range images {
		name, digest, ok := strings.Cut(ref, "@sha256:")
		if !ok || len(digest) != 64 || !strings.Contains(name, ":") || strings.HasSuffix(name, ":latest") {
			t.Errorf("base image %s is not pinned by tag and sha256 digest", ref)
		}
	}
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.EqualFold(f[0], "USER") {
			t.Errorf("Dockerfile sets %q: GitHub runs container actions as root, and the Docker socket needs it", line)
		}
	}
}

// TestActionImage builds the Action's image from the Dockerfile and runs
// it as the runner would. It needs a Docker engine and the base images:
// no registry is reachable from CI, so there it says which image is
// missing and skips (.ci/run prints that line).
func TestActionImage(t *testing.T) {
	if reason := os.Getenv("SCHEMAGATE_TEST_DOCKER_SKIP"); reason != "" {
		t.Skip("Action image not built: " + reason)
	}
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("Action image not built: no Docker engine (docker info: %v: %s)", err, strings.TrimSpace(string(out)))
	}
	for _, ref := range baseImages(t) {
		if err := exec.Command("docker", "image", "inspect", ref).Run(); err != nil {
			t.Skipf("Action image not built: base image %s is not on this machine and no registry is reachable to pull it; "+
				"where one is, `docker pull %s` and run this test again", ref, ref)
		}
	}
	tag := "schemagate-action-test:" + randomSuffix()
	build := exec.Command("docker", "build", "--pull=false", "-t", tag, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", tag).Run() })

	run := func(args ...string) (string, error) {
		out, err := exec.Command("docker", append([]string{"run", "--rm"}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := run("--entrypoint", "python3", tag, "-c", "import sqlalchemy, alembic, psycopg2; print(sqlalchemy.__version__)"); err != nil {
		t.Errorf("the image's Python lacks SQLAlchemy, Alembic or psycopg2: %v\n%s", err, out)
	}
	if out, err := run("--entrypoint", "git", tag, "--version"); err != nil {
		t.Errorf("the image has no git: %v\n%s", err, out)
	}

	// The runner mounts the checkout, owned by its own user, at
	// /github/workspace and runs the entrypoint as root there.
	pr := newPullRequest(t, baseMigrations, map[string]string{"db/000003_drop.up.sql": "DROP TABLE orders;\n"})
	exec.Command("chown", "-R", "1001:1001", pr.workspace).Run()
	out, err := run("-v", pr.workspace+":/github/workspace", "-w", "/github/workspace",
		"-e", "GITHUB_ACTIONS=true", "-e", "GITHUB_WORKSPACE=/github/workspace",
		"-e", "INPUT_COMMAND=lint", "-e", "INPUT_MIGRATIONS=db",
		tag)
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
		t.Fatalf("the image's action: %v, want exit 1\n%s", err, out)
	}
	if !strings.Contains(out, ",endLine=1,file=db/000003_drop.up.sql,line=1,title=drop-table::") {
		t.Errorf("no drop-table annotation:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(pr.workspace, "schemagate-report.json")); err != nil {
		t.Errorf("no JSON report in the workspace: %v", err)
	}
}
