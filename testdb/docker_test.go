package testdb

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// The Docker tests run a locally built image, since the CI machines reach no
// registry: .ci/postgres-image.sh builds it and .ci/run exports its name.
// On a machine without a Docker engine, .ci/run says so in skipEnv instead.
const (
	imageEnv = "SCHEMAGATE_TEST_IMAGE"
	skipEnv  = "SCHEMAGATE_TEST_DOCKER_SKIP"
)

// testImage returns the image to test with, or skips (fails in CI unless
// the skip was asked for, with a reason).
func testImage(tb testing.TB) string {
	tb.Helper()
	image := os.Getenv(imageEnv)
	if image != "" {
		return image
	}
	if reason := os.Getenv(skipEnv); reason != "" {
		tb.Skipf("Docker tests skipped: %s", reason)
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not set: in CI the Docker tests must run; the image must be built by .ci/postgres-image.sh "+
			"(.ci/run does it and exports %s=schemagate-test-postgres:15, or %s=<reason> when there is no Docker engine)",
			imageEnv, imageEnv, skipEnv)
	}
	tb.Skipf("Docker tests skipped: %s is not set. Build the image with `bash .ci/postgres-image.sh` "+
		"and run with %s=schemagate-test-postgres:15", imageEnv, imageEnv)
	return ""
}

func startDocker(tb testing.TB, image string) (*DockerServer, time.Duration) {
	tb.Helper()
	start := time.Now()
	s, err := StartDocker(context.Background(), Options{Image: image})
	if err != nil {
		tb.Fatal(err)
	}
	ready := time.Since(start)
	ds := s.(*DockerServer)
	tb.Cleanup(func() { ds.Close(context.Background()) })
	return ds, ready
}

func inspect(t *testing.T, id string) (*dc.Container, error) {
	t.Helper()
	pool, err := dockertest.NewPool("")
	if err != nil {
		t.Fatal(err)
	}
	return pool.Client.InspectContainer(id)
}

func TestDockerServer(t *testing.T) {
	image := testImage(t)
	ctx := context.Background()
	s, ready := startDocker(t, image)
	t.Logf("%s accepted a connection %v after StartDocker was called (target < 3s), via %s", s, ready, s.via)

	// Run by TestDockerInsideContainer in a container of its own?
	switch inside := os.Getenv("SCHEMAGATE_TEST_INSIDE"); inside {
	case "":
	case "host":
		if s.via != "published port on 127.0.0.1" {
			t.Errorf("in a container on the host's network the server was reached via %s; want the published port on 127.0.0.1", s.via)
		}
	default:
		if !strings.HasPrefix(s.via, "network ") {
			t.Errorf("in a container on the %s network the server was reached via %s; want its address on that network", inside, s.via)
		}
	}

	str := s.String()
	if want := fmt.Sprintf("PostgreSQL 15 in Docker (%s, container %s)", image, shortID(s.ContainerID())); str != want {
		t.Errorf("String() = %q; want %q", str, want)
	}
	if strings.Contains(str+s.via, s.password) {
		t.Errorf("String() or via holds the password")
	}

	db, err := s.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if db.Password != s.password {
		t.Errorf("database password differs from the server's")
	}
	conn, err := pgx.Connect(ctx, db.URL())
	if err != nil {
		t.Fatal(err)
	}
	for _, setting := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var v string
		if err := conn.QueryRow(ctx, "SHOW "+setting).Scan(&v); err != nil || v != "off" {
			t.Errorf("%s = %q, %v; want off", setting, v, err)
		}
	}
	var name string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil || name != db.Name {
		t.Errorf("current_database() = %q, %v; want %q", name, err, db.Name)
	}
	conn.Close(ctx)

	id := s.ContainerID()
	c, err := inspect(t, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Config.Labels[ThrowawayLabel]; got != "true" {
		t.Errorf("label %s = %q; want true", ThrowawayLabel, got)
	}
	if got := c.Config.Labels[RunLabel]; !strings.Contains(got, fmt.Sprintf("pid=%d ", os.Getpid())) {
		t.Errorf("label %s = %q; want it to name pid %d", RunLabel, got, os.Getpid())
	}
	if _, err := time.Parse(time.RFC3339, c.Config.Labels[ExpiresLabel]); err != nil {
		t.Errorf("label %s: %v", ExpiresLabel, err)
	}
	if _, ok := c.HostConfig.Tmpfs[pgDataDir]; !ok {
		t.Errorf("no tmpfs on %s: %v", pgDataDir, c.HostConfig.Tmpfs)
	}
	if !c.HostConfig.AutoRemove {
		t.Errorf("AutoRemove is off")
	}
	if self := findSelf(ctx, s.pool); self == nil || isHostMode(netnsOf(ctx, s.pool, self)) {
		for _, b := range c.HostConfig.PortBindings["5432/tcp"] {
			if b.HostIP != "127.0.0.1" {
				t.Errorf("port 5432 published on %q; want 127.0.0.1 only", b.HostIP)
			}
		}
	}

	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	var gone *dc.NoSuchContainer
	if _, err := inspect(t, id); !errors.As(err, &gone) {
		t.Errorf("container %s still there after Close (inspect: %v)", shortID(id), err)
	}
}

func TestDockerTwoServers(t *testing.T) {
	image := testImage(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	servers := make([]Server, 2)
	errs := make([]error, 2)
	for i := range servers {
		wg.Go(func() { servers[i], errs[i] = StartDocker(ctx, Options{Image: image}) })
	}
	wg.Wait()
	for i, s := range servers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		t.Cleanup(func() { s.Close(ctx) })
	}
	a, b := servers[0].(*DockerServer), servers[1].(*DockerServer)
	if a.ContainerID() == b.ContainerID() {
		t.Fatal("both servers are the same container")
	}
	for _, s := range servers {
		db, err := s.CreateDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, db.URL())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE t (id bigint)"); err != nil {
			t.Error(err)
		}
		conn.Close(ctx)
	}
	// Closing one leaves the other alone.
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateDatabase(ctx); err != nil {
		t.Errorf("the second server stopped working when the first was closed: %v", err)
	}
}

func TestDockerUsable(t *testing.T) {
	image := testImage(t)
	ctx := context.Background()
	if err := DockerUsable(ctx, Options{Image: image}); err != nil {
		t.Errorf("DockerUsable(%s) = %v; want nil", image, err)
	}

	missing := randomName("schemagate-no-such-image-") + ":1"
	start := time.Now()
	err := DockerUsable(ctx, Options{Image: missing})
	took := time.Since(start)
	t.Logf("DockerUsable(%s) took %v: %v", missing, took, err)
	if !errors.Is(err, ErrNoDockerImage) {
		t.Errorf("DockerUsable(%s) = %v; want ErrNoDockerImage", missing, err)
	}
	if took > 20*time.Second {
		t.Errorf("DockerUsable of a missing image took %v; want < 20s", took)
	}
	_, err = StartDocker(ctx, Options{Image: missing})
	if !errors.Is(err, ErrNoDockerImage) {
		t.Errorf("StartDocker(%s) = %v; want ErrNoDockerImage", missing, err)
	}
	// --db docker names the way out: a local image, or local binaries.
	if err != nil && (!strings.Contains(err.Error(), "--image") || !strings.Contains(err.Error(), "--db local")) {
		t.Errorf("StartDocker(%s) = %v; want it to suggest --image and --db local", missing, err)
	}
}

// TestDockerExpiry kills a process that started a server, with SIGKILL so
// that it cannot clean up, and checks that the engine still removes the
// container when the expiry (shortened here) has passed.
func TestDockerExpiry(t *testing.T) {
	if os.Getenv("SCHEMAGATE_TEST_EXPIRY_CHILD") == "1" {
		dockerExpiry = 5 * time.Second
		s, err := StartDocker(context.Background(), Options{Image: os.Getenv(imageEnv)})
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
		fmt.Println("CONTAINER", s.(*DockerServer).ContainerID())
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	testImage(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestDockerExpiry$")
	cmd.Env = append(os.Environ(), "SCHEMAGATE_TEST_EXPIRY_CHILD=1")
	out, _ := cmd.Output()
	var id string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "CONTAINER "); ok {
			id = rest
		}
	}
	if id == "" {
		t.Fatalf("the child process started no container:\n%s", out)
	}
	killed := time.Now()
	var gone *dc.NoSuchContainer
	for {
		_, err := inspect(t, id)
		if errors.As(err, &gone) {
			t.Logf("container %s removed %v after its creator was SIGKILLed", shortID(id), time.Since(killed).Round(100*time.Millisecond))
			return
		}
		if time.Since(killed) > 60*time.Second {
			pool, _ := dockertest.NewPool("")
			pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: id, Force: true})
			t.Fatalf("container %s still there 60s after its creator was SIGKILLed (expiry 5s)", shortID(id))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestDockerInsideContainer runs TestDockerServer again from inside a
// container that has the Docker socket mounted, as a GitHub container
// action does: on a network of its own and on the default bridge, where the
// server must be reached at its address on schemagate's network, and on the
// host's network, where the published port on 127.0.0.1 does.
func TestDockerInsideContainer(t *testing.T) {
	image := testImage(t)
	if os.Getenv("SCHEMAGATE_TEST_INSIDE") != "" {
		t.Skip("already inside")
	}
	pool, err := dockertest.NewPool("")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := pool.Client.Endpoint()
	socket, ok := strings.CutPrefix(endpoint, "unix://")
	if !ok {
		t.Skipf("the engine is at %s, not on a local socket to mount", endpoint)
	}
	if findSelf(context.Background(), pool) != nil {
		t.Skip("the tests already run in a container: the test binary's path is not the engine host's")
	}
	for _, network := range []string{"user-defined", "bridge", "host"} {
		t.Run(network, func(t *testing.T) {
			var opts []func(*dc.HostConfig)
			runOpts := &dockertest.RunOptions{
				Name:       randomName("schemagate-test-tool-"),
				Entrypoint: []string{"/testdb.test"},
				Cmd:        []string{"-test.run=^TestDockerServer$", "-test.v"},
				Env:        []string{imageEnv + "=" + image, "SCHEMAGATE_TEST_INSIDE=" + network},
				Mounts:     []string{socket + ":/var/run/docker.sock", os.Args[0] + ":/testdb.test:ro"},
				Labels:     map[string]string{ThrowawayLabel: "true", RunLabel: runLabel},
			}
			runOpts.Repository, runOpts.Tag = splitTag(withTag(image))
			switch network {
			case "host":
				opts = append(opts, func(hc *dc.HostConfig) { hc.NetworkMode = "host" })
			case "user-defined":
				n, err := pool.CreateNetwork(randomName("schemagate-test-"))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { pool.RemoveNetwork(n) })
				runOpts.NetworkID = n.Network.ID
				opts = append(opts, func(hc *dc.HostConfig) { hc.NetworkMode = n.Network.Name })
			}
			res, err := pool.RunWithOptions(runOpts, opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Purge(res) })
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			code, err := pool.Client.WaitContainerWithContext(res.Container.ID, ctx)
			var logs bytes.Buffer
			pool.Client.Logs(dc.LogsOptions{Container: res.Container.ID, OutputStream: &logs, ErrorStream: &logs, Stdout: true, Stderr: true})
			if err != nil {
				t.Fatalf("waiting for the test in the container: %v\n%s", err, logs.Bytes())
			}
			if code == 126 || code == 127 || strings.Contains(logs.String(), "GLIBC_") {
				t.Skipf("the test binary does not run in %s (exit %d):\n%s", image, code, logs.Bytes())
			}
			t.Logf("inside the container:\n%s", logs.Bytes())
			if code != 0 || !strings.Contains(logs.String(), "--- PASS: TestDockerServer") {
				t.Errorf("TestDockerServer inside a container on the %s network: exit %d", network, code)
			}
		})
	}
}

// TestDockerContainerExits starts an image whose entrypoint prints the
// password and exits: StartDocker must say that the container exited, show
// its log without the password, and leave no container behind.
func TestDockerContainerExits(t *testing.T) {
	image := testImage(t)
	pool, err := dockertest.NewPool("")
	if err != nil {
		t.Fatal(err)
	}
	broken := randomName("schemagate-test-broken:")
	dockerfile := "FROM " + image + "\n" +
		`ENTRYPOINT ["sh", "-c", "echo \"password is $POSTGRES_PASSWORD\" >&2; echo broken on purpose >&2; exit 3"]` + "\n"
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))})
	tw.Write([]byte(dockerfile))
	tw.Close()
	var out bytes.Buffer
	if err := pool.Client.BuildImage(dc.BuildImageOptions{Name: broken, InputStream: &tarball, OutputStream: &out, RmTmpContainer: true}); err != nil {
		t.Fatalf("build %s: %v\n%s", broken, err, out.Bytes())
	}
	t.Cleanup(func() { pool.Client.RemoveImage(broken) })

	_, err = StartDocker(context.Background(), Options{Image: broken})
	if err == nil {
		t.Fatal("StartDocker of an image that exits succeeded")
	}
	t.Logf("StartDocker: %v", err)
	msg := err.Error()
	if !strings.Contains(msg, "exited during start-up") || !strings.Contains(msg, "broken on purpose") {
		t.Errorf("the error does not say the container exited, with its log: %v", err)
	}
	if !strings.Contains(msg, "password is xxxxx") {
		t.Errorf("the password printed by the container was not masked: %v", err)
	}
	list, err := pool.Client.ListContainers(dc.ListContainersOptions{All: true, Filters: map[string][]string{"ancestor": {broken}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) > 0 {
		t.Errorf("%d containers of %s left behind", len(list), broken)
	}
}

func BenchmarkDockerStart(b *testing.B) {
	image := testImage(b)
	ctx := context.Background()
	for b.Loop() {
		s, err := StartDocker(ctx, Options{Image: image})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImageReference(t *testing.T) {
	for _, tc := range []struct{ in, full, repo, tag string }{
		{"postgres:16", "postgres:16", "postgres", "16"},
		{"postgres", "postgres:latest", "postgres", "latest"},
		{"registry:5000/team/pg", "registry:5000/team/pg:latest", "registry:5000/team/pg", "latest"},
		{"registry:5000/team/pg:15", "registry:5000/team/pg:15", "registry:5000/team/pg", "15"},
		{"postgres@sha256:abcd", "postgres@sha256:abcd", "postgres@sha256", "abcd"},
	} {
		full := withTag(tc.in)
		repo, tag := splitTag(full)
		if full != tc.full || repo != tc.repo || tag != tc.tag {
			t.Errorf("%s: got %s = %s + %s; want %s = %s + %s", tc.in, full, repo, tag, tc.full, tc.repo, tc.tag)
		}
		if repo+":"+tag != full {
			t.Errorf("%s: %s:%s does not give back %s", tc.in, repo, tag, full)
		}
	}
}

func TestLocalEngine(t *testing.T) {
	for in, want := range map[string]bool{
		"unix:///var/run/docker.sock": true,
		"npipe:////./pipe/docker":     true,
		"tcp://127.0.0.1:2375":        true,
		"tcp://localhost:2375":        true,
		"tcp://docker:2376":           false,
		"tcp://10.0.0.5:2376":         false,
	} {
		if got := localEngine(in); got != want {
			t.Errorf("localEngine(%s) = %v; want %v", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	s := &DockerServer{password: "0123456789abcdef"}
	err := s.redact(errors.New("invalid env POSTGRES_PASSWORD=0123456789abcdef"))
	if strings.Contains(err.Error(), s.password) {
		t.Errorf("redact left the password in: %v", err)
	}
	plain := errors.New("no such image")
	if got := s.redact(plain); got != plain {
		t.Errorf("redact changed an error without the password")
	}
}

func TestSelfIDPatterns(t *testing.T) {
	const id = "e025dd8a769e49aa10f6a684715e6b990d63b437d702f3e5c1343c5b9154b086"
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"container's hostname file", "611 593 254:0 /var/lib/docker/containers/" + id + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw", true},
		{"container's resolv.conf", "610 593 254:0 /var/lib/docker/containers/" + id + "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw", true},
		{"another container's shm, seen from the host", "300 42 0:52 / /var/lib/docker/containers/" + id + "/mounts/shm rw - tmpfs shm rw", false},
		{"cgroup v1", "9:name=systemd:/docker/" + id, true},
		{"cgroup v1, systemd driver", "0::/system.slice/docker-" + id + ".scope", true},
		{"the engine's own cgroup", "0::/system.slice/docker.service", false},
	} {
		got := mountinfoIDPattern.FindStringSubmatch(tc.text)
		if got == nil {
			got = cgroupIDPattern.FindStringSubmatch(tc.text)
		}
		if (got != nil) != tc.want || (got != nil && got[1] != id) {
			t.Errorf("%s: matched %q; want a match: %v", tc.name, got, tc.want)
		}
	}
}
