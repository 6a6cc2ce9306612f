package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemagate/schemagate/testdb"
)

// build compiles the command once per test binary.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schemagate")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// slowMigrations is a history whose second migration hangs, so that the
// run can be interrupted in the middle of the replay.
func slowMigrations(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"1_a.up.sql":      "CREATE TABLE a (id bigint PRIMARY KEY);",
		"1_a.down.sql":    "DROP TABLE a;",
		"2_slow.up.sql":   "SELECT pg_sleep(120);",
		"2_slow.down.sql": "SELECT 1;",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// interrupt starts schemagate check, waits until the slow migration runs,
// sends SIGTERM, and returns the exit status and standard error.
func interrupt(t *testing.T, bin string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"check"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	started, read := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			// In CI output each migration prints a line when done: the
			// first one done means the slow one is running.
			if !once && strings.Contains(sc.Text(), "[1/2]") {
				once = true
				close(started)
			}
		}
	}()
	select {
	case <-started:
	case <-read:
		cmd.Wait()
		t.Fatalf("schemagate ended before the slow migration:\n%s", log.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-read
		t.Fatalf("the replay did not reach the slow migration:\n%s", log.String())
	}
	time.Sleep(300 * time.Millisecond) // let pg_sleep start
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Wait only once stderr is read to its end: Wait closes the pipe, and
	// the last lines (that the run was interrupted) would be lost.
	select {
	case <-read:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-read
		t.Fatalf("schemagate did not stop within 30s of SIGTERM:\n%s", log.String())
	}
	cmd.Wait()
	return cmd.ProcessState.ExitCode(), log.String()
}

// TestSIGTERMLocalCleansUp: a CI runner's SIGTERM in the middle of a
// replay on local binaries leaves no server process and no directory.
func TestSIGTERMLocalCleansUp(t *testing.T) {
	bin := build(t)
	// A TMPDIR of its own, that the postgres user can enter, to see what
	// the run leaves in it.
	tmp, err := os.MkdirTemp("", "sigterm-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	code, log := interrupt(t, bin, []string{"TMPDIR=" + tmp}, "--db", "local", slowMigrations(t))
	if code != 2 {
		t.Errorf("exit status %d, want 2\n%s", code, log)
	}
	if !strings.Contains(log, "interrupted") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", log)
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
	if procs := processesMentioning(tmp); len(procs) > 0 {
		t.Errorf("processes still running from %s: %v", tmp, procs)
	}
}

// TestSIGTERMURLDropsDatabase: on an existing server, the throwaway
// database is dropped after SIGTERM, and the server's other databases stay.
func TestSIGTERMURLDropsDatabase(t *testing.T) {
	ctx := context.Background()
	bin := build(t)
	s, err := testdb.StartLocal(ctx, testdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	admin := s.Admin()
	code, log := interrupt(t, bin, nil, "--db", admin.URL(), slowMigrations(t))
	if code != 2 {
		t.Errorf("exit status %d, want 2\n%s", code, log)
	}
	conn, err := pgx.Connect(ctx, admin.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left []string
	rows, _ := conn.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'schemagate\\_%'")
	left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("throwaway databases left after SIGTERM: %v", left)
	}
}

// processesMentioning lists the pids whose command line mentions s.
func processesMentioning(s string) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			out = append(out, filepath.Base(filepath.Dir(p)))
		}
	}
	return out
}

// TestSIGTERMDockerRemovesContainer: after SIGTERM no container of the run
// is left. It needs the locally built image (.ci/postgres-image.sh).
func TestSIGTERMDockerRemovesContainer(t *testing.T) {
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
	bin := build(t)
	// Other test packages start throwaway containers at the same time: a
	// tag of the image for this run alone tells its containers apart.
	own := fmt.Sprintf("schemagate-test-sigterm:%d", time.Now().UnixNano())
	if out, err := exec.Command("docker", "tag", image, own).CombinedOutput(); err != nil {
		t.Fatalf("docker tag: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rmi", own).Run() })
	code, log := interrupt(t, bin, nil, "--db", "docker", "--image", own, slowMigrations(t))
	if code != 2 {
		t.Errorf("exit status %d, want 2\n%s", code, log)
	}
	for id := range throwawayContainers(t, own) {
		t.Errorf("container %s of the interrupted run is still there", id)
	}
}

// throwawayContainers lists the containers that carry schemagate's label
// and were created from image by that name (docker's ancestor filter would
// match every tag of the same image).
func throwawayContainers(t *testing.T, image string) map[string]bool {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--filter", "label="+testdb.ThrowawayLabel+"=true", "--format", "{{.ID}} {{.Image}}").Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, img, ok := strings.Cut(line, " "); ok && img == image {
			ids[id] = true
		}
	}
	return ids
}
