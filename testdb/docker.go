package testdb

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// Labels on every container StartDocker creates. ThrowawayLabel=true marks
// it as schemagate's; RunLabel says which run (process id and start time)
// and ExpiresLabel when the engine kills it at the latest.
const (
	ThrowawayLabel = "org.schemagate.throwaway"
	RunLabel       = "org.schemagate.run"
	ExpiresLabel   = "org.schemagate.expires"
)

// Errors DockerUsable and StartDocker wrap, to say which part is missing.
var (
	ErrNoDockerEngine = errors.New("no Docker engine answers")
	ErrNoDockerImage  = errors.New("docker image not present and could not be pulled")
)

const pgDataDir = "/var/lib/postgresql/data"

// dockerExpiry is the backstop: the engine itself kills (and, AutoRemove,
// removes) the container this long after it started, even when schemagate
// is SIGKILLed and never calls Close. A variable for the tests.
var dockerExpiry = 30 * time.Minute

// Pull timeouts. A registry that cannot be reached usually fails at once
// (no route, no DNS); one that hangs sends nothing, and the engine sends
// nothing either until it has the manifest, so the first message must come
// within pullFirstMessage. After that a slow but progressing download is
// never cut; only pullInactivity without any progress ends it.
const (
	pullFirstMessage = 15 * time.Second
	pullInactivity   = 60 * time.Second
	pingTimeout      = 5 * time.Second
)

// DockerServer is a PostgreSQL in a container of its own, started for this
// run: data on tmpfs, durability off, AutoRemove, labelled as schemagate's,
// and with an expiry the engine enforces. Close removes the container.
type DockerServer struct {
	*URLServer
	image string
	pool  *dockertest.Pool
	// container is the server's container as last inspected.
	container *dc.Container
	password  string
	via       string // how the server is reached, for messages and tests

	once     sync.Once
	closeErr error
}

// DockerUsable says why StartDocker cannot be used, or returns nil: the
// engine must answer a ping, and the image must be present or be pulled
// now (which is what StartDocker would do next anyway).
func DockerUsable(ctx context.Context, opts Options) error {
	pool, err := dockerPool(ctx)
	if err != nil {
		return err
	}
	return ensureImage(ctx, pool, opts.image(), opts)
}

// StartDocker starts a throwaway PostgreSQL container and waits until it
// accepts connections.
func StartDocker(ctx context.Context, opts Options) (Server, error) {
	pool, err := dockerPool(ctx)
	if err != nil {
		return nil, err
	}
	image := opts.image()
	if err := ensureImage(ctx, pool, image, opts); err != nil {
		if errors.Is(err, ErrNoDockerImage) {
			return nil, fmt.Errorf("%w; give --image of an image on this machine (docker images lists them), or --db local to use this machine's PostgreSQL binaries", err)
		}
		return nil, err
	}
	s := &DockerServer{image: image, pool: pool, password: randomPassword()}
	if err := s.start(ctx, opts); err != nil {
		s.Close(context.WithoutCancel(ctx))
		return nil, s.redact(err)
	}
	return s, nil
}

func dockerPool(ctx context.Context) (*dockertest.Pool, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDockerEngine, err)
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := pool.Client.PingWithContext(ctx); err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrNoDockerEngine, pool.Client.Endpoint(), err)
	}
	return pool, nil
}

// ensureImage pulls image unless it is present.
func ensureImage(ctx context.Context, pool *dockertest.Pool, image string, opts Options) error {
	if _, err := pool.Client.InspectImage(image); err == nil {
		return nil
	} else if !errors.Is(err, dc.ErrNoSuchImage) {
		return fmt.Errorf("docker: inspect image %s: %w", image, err)
	}
	opts.logf("pulling %s (only the first time)", image)
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &firstWrite{}
	// Nothing from the engine within pullFirstMessage: the registry hangs.
	timer := time.AfterFunc(pullFirstMessage, func() {
		if !w.seen() {
			cancel()
		}
	})
	defer timer.Stop()
	repo, tag := image, ""
	if !strings.Contains(image, "@") {
		repo, tag = splitTag(withTag(image))
	}
	err := pool.Client.PullImage(dc.PullImageOptions{
		Repository: repo, Tag: tag,
		OutputStream: w, InactivityTimeout: pullInactivity, Context: ctx,
	}, dc.AuthConfiguration{})
	if err != nil {
		if !w.seen() && ctx.Err() != nil && time.Since(start) >= pullFirstMessage {
			err = fmt.Errorf("no answer from the registry within %v", pullFirstMessage)
		}
		return fmt.Errorf("%w: %s: %v", ErrNoDockerImage, image, err)
	}
	opts.logf("pulled %s in %v", image, time.Since(start).Round(time.Millisecond))
	return nil
}

// firstWrite discards a pull's progress and remembers that some came.
type firstWrite struct {
	mu sync.Mutex
	n  int
}

func (w *firstWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.n += len(p)
	w.mu.Unlock()
	return len(p), nil
}

func (w *firstWrite) seen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n > 0
}

// withTag adds ":latest" to a reference without a tag or digest.
func withTag(ref string) string {
	if strings.Contains(ref, "@") {
		return ref
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref
	}
	return ref + ":latest"
}

// splitTag splits a reference at its last colon. dockertest's RunWithOptions
// joins Repository and Tag with a colon again, which gives back the exact
// reference, "postgres@sha256:..." included.
func splitTag(ref string) (repo, tag string) {
	i := strings.LastIndex(ref, ":")
	return ref[:i], ref[i+1:]
}

func randomPassword() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// runLabel names this run: process id and start time.
var runLabel = fmt.Sprintf("pid=%d started=%s", os.Getpid(), time.Now().UTC().Format(time.RFC3339))

func (s *DockerServer) start(ctx context.Context, opts Options) error {
	begin := time.Now()
	self := findSelf(ctx, s.pool)
	local := localEngine(s.pool.Client.Endpoint())

	// Where the published port listens: on 127.0.0.1 when schemagate runs on
	// the engine's host, or in a container that shares the host's network.
	// From another container, or with a remote engine, 127.0.0.1 of the
	// engine's host cannot be reached: publish on all interfaces (the server
	// takes only its random password, and lives minutes).
	bindIP := "127.0.0.1"
	netns := netnsOf(ctx, s.pool, self)
	if !local || (self != nil && !isHostMode(netns)) {
		bindIP = ""
	}

	cmd := []string{"postgres"}
	for _, set := range speedSettings {
		cmd = append(cmd, "-c", set)
	}
	name := randomName("schemagate-pg-")
	expires := time.Now().Add(dockerExpiry)
	opts.logf("starting %s in Docker", s.image)
	logs := &tailBuffer{max: 64 << 10}
	c, att, err := s.run(ctx, name, withTag(s.image), cmd, bindIP, expires, logs)
	if c != nil {
		s.container = c
	}
	if err != nil {
		// A container created but not started is not auto-removed.
		s.removeByName(name)
		return fmt.Errorf("docker: run %s: %w", s.image, err)
	}
	defer att.close()
	// The engine stops the container after dockerExpiry whatever happens to
	// this process: the stop signal is SIGWINCH, which postgres ignores, so
	// the engine's stop waits the whole timeout and then kills; AutoRemove
	// then removes it. The engine keeps that timer, not this process (as
	// dockertest's Resource.Expire does it).
	go func() { _ = s.pool.Client.StopContainer(c.ID, uint(dockerExpiry/time.Second)) }()

	watch, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWatch()
	exited := make(chan struct{})
	go func() {
		_, err := s.pool.Client.WaitContainerWithContext(c.ID, watch)
		var gone *dc.NoSuchContainer
		if err == nil || errors.As(err, &gone) { // not when the wait itself failed
			close(exited)
		}
	}()

	candidates, via := s.candidates(ctx, self, netns, local)
	// Ready means: a TCP connection that completes PostgreSQL's start-up,
	// authenticates with our password and runs a query (newAdmin asks for
	// the version). Not a TCP dial: docker-proxy accepts on the published
	// port long before postgres listens. Not the log line either: the
	// official image prints "database system is ready to accept
	// connections" twice on a first start (once for the setup server, once
	// for the real one), and other images (ours) once, so counting lines
	// depends on the image. A real connection is enough because the
	// official entrypoint runs its setup server with listen_addresses=''
	// (docker_temp_server_start: "does not listen on external TCP/IP"):
	// only the final server, exec'd as the container's main process,
	// accepts TCP, so the first successful connection cannot be followed by
	// the setup restart. The test image of .ci/postgres-image.sh keeps that
	// contract by doing its setup in single-user mode.
	s.URLServer, err = waitReady(ctx, exited, func(ctx context.Context) (*URLServer, error) {
		return connectFirst(ctx, candidates, s.password, "Docker container "+shortID(c.ID))
	})
	if err != nil {
		select {
		case <-exited:
			// The attached streams end when the container does.
			att.wait(2 * time.Second)
			err = errors.New("the container exited during start-up")
		default:
		}
		return fmt.Errorf("docker: %s did not become ready: %w\ncontainer log:\n%s", s.image, err, bytes.TrimSpace(logs.Bytes()))
	}
	for _, c := range candidates {
		if c.host == s.admin.Host && int(s.admin.Port) == c.port {
			s.via = c.via
		}
	}
	if s.via == "" {
		s.via = via
	}
	opts.logf("%s ready in %v, reached via %s", s, time.Since(begin).Round(time.Millisecond), s.via)
	return nil
}

// run creates the container, attaches to its output, and only then starts
// it, the way "docker run" does. Started first and followed afterwards
// (dockertest's RunWithOptions, then Logs with Follow), a container that
// exits at once could be gone, AutoRemove, before the follower attached,
// and its log was lost: attached before the start, the output is streamed
// from its first byte and the stream ends when the container does. The
// container comes back inspected once its port is published; after an
// early exit, with what is known of it.
func (s *DockerServer) run(ctx context.Context, name, image string, cmd []string, bindIP string, expires time.Time, logs io.Writer) (*dc.Container, *attachment, error) {
	created, err := s.pool.Client.CreateContainer(dc.CreateContainerOptions{
		Context: ctx,
		Name:    name,
		Config: &dc.Config{
			Image: image,
			Env: []string{
				"POSTGRES_PASSWORD=" + s.password,
				"POSTGRES_USER=postgres",
				"POSTGRES_DB=postgres",
			},
			Cmd:          cmd,
			ExposedPorts: map[dc.Port]struct{}{"5432/tcp": {}},
			Labels: map[string]string{
				ThrowawayLabel: "true",
				RunLabel:       runLabel,
				ExpiresLabel:   expires.UTC().Format(time.RFC3339),
			},
			// Ignored by postgres: a stop waits its whole timeout (the
			// expiry), then kills.
			StopSignal: "SIGWINCH",
		},
		HostConfig: &dc.HostConfig{
			AutoRemove:    true,
			PortBindings:  map[dc.Port][]dc.PortBinding{"5432/tcp": {{HostIP: bindIP}}},
			Tmpfs:         map[string]string{pgDataDir: "rw,nosuid,nodev"},
			RestartPolicy: dc.NeverRestart(),
		},
	})
	if err != nil {
		return nil, nil, err
	}
	attached := make(chan struct{})
	cw, err := s.pool.Client.AttachToContainerNonBlocking(dc.AttachToContainerOptions{
		Container: created.ID, OutputStream: logs, ErrorStream: logs,
		Logs: true, Stream: true, Stdout: true, Stderr: true, Success: attached,
	})
	if err != nil {
		return created, nil, fmt.Errorf("attach to the container's output: %w", err)
	}
	// The client signals once the attach request is answered, and waits
	// for the reply before it streams.
	<-attached
	attached <- struct{}{}
	att := newAttachment(cw)
	if err := s.pool.Client.StartContainerWithContext(created.ID, nil, ctx); err != nil {
		att.close()
		return created, nil, err
	}
	// The port is published a moment after the start.
	c := created
	for try := 0; try < 20; try++ {
		got, err := s.pool.Client.InspectContainerWithContext(created.ID, ctx)
		if err != nil {
			// Gone already (AutoRemove): it exited, which the caller
			// sees from its wait, and the log is in hand.
			break
		}
		c = got
		if hostPort(c, "5432/tcp") != "" || !c.State.Running {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c, att, nil
}

// hostPort is the host port that port of c is published on, or "".
func hostPort(c *dc.Container, port dc.Port) string {
	if c == nil || c.NetworkSettings == nil {
		return ""
	}
	if m := c.NetworkSettings.Ports[port]; len(m) > 0 {
		return m[0].HostPort
	}
	return ""
}

// attachment is a stream of a container's output.
type attachment struct {
	cw   dc.CloseWaiter
	done chan struct{}
}

func newAttachment(cw dc.CloseWaiter) *attachment {
	a := &attachment{cw: cw, done: make(chan struct{})}
	go func() {
		_ = cw.Wait()
		close(a.done)
	}()
	return a
}

// wait waits at most d for the stream to end (the container to exit).
func (a *attachment) wait(d time.Duration) {
	select {
	case <-a.done:
	case <-time.After(d):
	}
}

// close detaches; the container runs on.
func (a *attachment) close() { _ = a.cw.Close() }

// candidate is one address the server might be reached at.
type candidate struct {
	host string
	port int
	via  string
}

// candidates lists the addresses to try, best first: from inside a
// container, the server's address on the networks schemagate's own
// container is on (the server is connected to them); then the published
// port.
func (s *DockerServer) candidates(ctx context.Context, self, netns *dc.Container, local bool) ([]candidate, string) {
	var out []candidate
	add := func(host string, port int, via string) {
		if host == "" || port == 0 {
			return
		}
		for _, c := range out {
			if c.host == host && c.port == port {
				return
			}
		}
		out = append(out, candidate{host, port, via})
	}
	res := s.container
	if self != nil && netns != nil && !isHostMode(netns) {
		for name, n := range netns.NetworkSettings.Networks {
			if name == "host" || name == "none" || n.NetworkID == "" {
				continue
			}
			if _, on := res.NetworkSettings.Networks[name]; on {
				continue
			}
			// Once more after a failure: a busy engine may refuse the
			// first time. Else the published port may still do.
			for try := 0; try < 2; try++ {
				err := s.pool.Client.ConnectNetwork(n.NetworkID, dc.NetworkConnectionOptions{Container: res.ID, Context: ctx})
				if err == nil || ctx.Err() != nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		// The engine may show a network it just connected before its
		// address: look again, for a second at most.
		for try := 0; try < 20; try++ {
			c, err := s.pool.Client.InspectContainerWithContext(res.ID, ctx)
			if err != nil {
				break
			}
			res, s.container = c, c
			if allAddressed(netns, res) || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		for name := range netns.NetworkSettings.Networks {
			if n, ok := res.NetworkSettings.Networks[name]; ok {
				add(n.IPAddress, 5432, "network "+name+" ("+n.IPAddress+")")
			}
		}
	}

	port, _ := strconv.Atoi(hostPort(res, "5432/tcp"))
	switch {
	case !local:
		add(engineHost(s.pool.Client.Endpoint()), port, "published port on the Docker host "+engineHost(s.pool.Client.Endpoint()))
	case self == nil || isHostMode(netns):
		add("127.0.0.1", port, "published port on 127.0.0.1")
	default:
		// In a container: the host is the gateway of our networks.
		for _, n := range netns.NetworkSettings.Networks {
			add(n.Gateway, port, "published port on gateway "+n.Gateway)
		}
		if gw := defaultGateway(); gw != "" {
			add(gw, port, "published port on default gateway "+gw)
		}
		add("host.docker.internal", port, "published port on host.docker.internal")
	}
	// Last resort when schemagate's container was not found (a pod on a
	// node whose engine it uses, say): the server's own addresses, which a
	// Linux host and its pods can route to.
	if self == nil {
		for name, n := range res.NetworkSettings.Networks {
			add(n.IPAddress, 5432, "network "+name+" ("+n.IPAddress+")")
		}
	}
	via := "the published port"
	if len(out) > 0 {
		via = out[0].via
	}
	return out, via
}

// allAddressed reports whether the server's container has an address on
// every network of ours (but host and none).
func allAddressed(ours, server *dc.Container) bool {
	for name := range ours.NetworkSettings.Networks {
		if name == "host" || name == "none" {
			continue
		}
		if n, ok := server.NetworkSettings.Networks[name]; !ok || n.IPAddress == "" {
			return false
		}
	}
	return true
}

// connectFirst tries every candidate at once and returns the best that
// answers: an earlier one is waited for while it may still succeed. When
// none answers it returns the errors of all.
func connectFirst(ctx context.Context, candidates []candidate, password, what string) (*URLServer, error) {
	if len(candidates) == 0 {
		return nil, errors.New("no address to reach the container at")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	type result struct {
		i   int
		s   *URLServer
		err error
	}
	results := make(chan result, len(candidates))
	for i, c := range candidates {
		go func() {
			s, err := newAdmin(ctx, c.host, c.port, "postgres", password, what+" at "+net.JoinHostPort(c.host, strconv.Itoa(c.port)))
			results <- result{i, s, err}
		}()
	}
	done := make([]*result, len(candidates))
	for range candidates {
		r := <-results
		done[r.i] = &r
		for _, d := range done {
			if d == nil {
				break // a better candidate may still answer
			}
			if d.err == nil {
				return d.s, nil
			}
		}
	}
	errs := make([]error, len(done))
	for i, d := range done {
		errs[i] = d.err
	}
	return nil, errors.Join(errs...)
}

// removeByName removes the container of this run with that name, and no
// other: the name is random, and the label must be ours.
func (s *DockerServer) removeByName(name string) {
	list, err := s.pool.Client.ListContainers(dc.ListContainersOptions{
		All:     true,
		Filters: map[string][]string{"name": {name}, "label": {ThrowawayLabel + "=true"}},
	})
	if err != nil {
		return
	}
	for _, c := range list {
		for _, n := range c.Names {
			if n == "/"+name {
				_ = s.pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true})
			}
		}
	}
}

// String describes the server, e.g. "PostgreSQL 16 in Docker (postgres:16,
// container 0123456789ab)".
func (s *DockerServer) String() string {
	id := "not started"
	if s.container != nil {
		id = shortID(s.container.ID)
	}
	if s.URLServer == nil {
		return fmt.Sprintf("PostgreSQL in Docker (%s, container %s)", s.image, id)
	}
	return fmt.Sprintf("PostgreSQL %d in Docker (%s, container %s)", s.Version(), s.image, id)
}

// ContainerID is the container's full ID.
func (s *DockerServer) ContainerID() string {
	if s.container == nil {
		return ""
	}
	return s.container.ID
}

// Close drops the databases, then removes the container (and nothing
// else). It is safe to call more than once.
func (s *DockerServer) Close(ctx context.Context) error {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if s.URLServer != nil {
			// The databases go with the container; dropping them first
			// ends their sessions cleanly, but is no reason to fail.
			dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
			_ = s.URLServer.Close(dctx)
			dcancel()
		}
		if s.container == nil {
			return
		}
		id := s.container.ID
		err := s.pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: id, Force: true, RemoveVolumes: true, Context: ctx})
		var gone *dc.NoSuchContainer
		var apiErr *dc.Error
		switch {
		case err == nil, errors.As(err, &gone):
			err = nil
		case errors.As(err, &apiErr) && apiErr.Status == 409:
			// AutoRemove got there first ("removal already in
			// progress"): wait for it.
			err = s.waitGone(ctx, id)
		}
		if err != nil {
			s.closeErr = s.redact(fmt.Errorf("docker: remove container %s: %w", shortID(id), err))
		}
	})
	return s.closeErr
}

func (s *DockerServer) waitGone(ctx context.Context, id string) error {
	for {
		_, err := s.pool.Client.InspectContainerWithContext(id, ctx)
		var gone *dc.NoSuchContainer
		if errors.As(err, &gone) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("still there: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// redact keeps the password out of an error; the engine's messages may
// quote the container's environment.
func (s *DockerServer) redact(err error) error {
	if err == nil || s.password == "" || !strings.Contains(err.Error(), s.password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), s.password, "xxxxx"))
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.b...)
}

// localEngine says whether the engine runs on this machine (a socket, or
// TCP to a loopback address), so that its published ports are on
// 127.0.0.1.
func localEngine(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return true
	}
	switch u.Scheme {
	case "unix", "npipe", "":
		return true
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// engineHost is the host of a TCP engine endpoint: where its published
// ports are.
func engineHost(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Hostname() == "" {
		return "127.0.0.1"
	}
	return u.Hostname()
}

// findSelf returns schemagate's own container when it runs in one that the
// engine knows (a GitHub container action with the Docker socket mounted,
// say), else nil. dockertest's Pool.CurrentContainer only tries the
// hostname, which is the short container ID unless --hostname was given;
// the container ID also shows in /proc/self/mountinfo (Docker mounts
// /etc/hostname from /var/lib/docker/containers/<id>/) and, with cgroup v1,
// in /proc/self/cgroup. Only looked for when something says this is a
// container, so that the hostname of a machine cannot match a container's
// name by chance.
func findSelf(ctx context.Context, pool *dockertest.Pool) *dc.Container {
	if !inContainer() {
		return nil
	}
	hostname, _ := os.Hostname()
	for _, id := range selfIDCandidates(hostname) {
		c, err := pool.Client.InspectContainerWithContext(id, ctx)
		if err != nil || c.State.Pid == 0 {
			continue
		}
		if id == hostname && !strings.HasPrefix(c.ID, hostname) && (c.Config == nil || c.Config.Hostname != hostname) {
			continue
		}
		return c
	}
	return nil
}

// Where a container's own ID shows. In /proc/self/mountinfo only the
// files Docker mounts into every container count, by mount point: on the
// engine's host, mountinfo also lists other containers' directories.
var (
	mountinfoIDPattern = regexp.MustCompile(`/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv\.conf) /etc/(?:hostname|hosts|resolv\.conf) `)
	cgroupIDPattern    = regexp.MustCompile(`(?m)(?:/docker/|docker-|libpod-|cri-containerd-)([0-9a-f]{64})(?:\.scope)?$`)
)

func inContainer() bool {
	for _, f := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(f); err == nil {
			return true
		}
	}
	return len(selfIDCandidates("")) > 0
}

func selfIDCandidates(hostname string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, src := range []struct {
		file    string
		pattern *regexp.Regexp
	}{{"/proc/self/mountinfo", mountinfoIDPattern}, {"/proc/self/cgroup", cgroupIDPattern}} {
		b, err := os.ReadFile(src.file)
		if err != nil {
			continue
		}
		for _, m := range src.pattern.FindAllStringSubmatch(string(b), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				ids = append(ids, m[1])
			}
		}
	}
	if hostname != "" {
		ids = append(ids, hostname)
	}
	return ids
}

// netns returns the container whose network namespace c uses: c itself, or
// the one named by --network container:<id>.
func netnsOf(ctx context.Context, pool *dockertest.Pool, c *dc.Container) *dc.Container {
	if c == nil {
		return nil
	}
	if c.HostConfig != nil {
		if other, ok := strings.CutPrefix(c.HostConfig.NetworkMode, "container:"); ok {
			if o, err := pool.Client.InspectContainerWithContext(other, ctx); err == nil {
				return o
			}
		}
	}
	return c
}

func isHostMode(c *dc.Container) bool {
	return c != nil && c.HostConfig != nil && c.HostConfig.NetworkMode == "host"
}

// defaultGateway reads the IPv4 default route's gateway from
// /proc/net/route.
func defaultGateway() string {
	f, err := os.Open("/proc/net/route")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[1] != "00000000" {
			continue
		}
		gw, err := strconv.ParseUint(fields[2], 16, 32)
		if err != nil || gw == 0 {
			continue
		}
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(gw))
		return netip.AddrFrom4(b).String()
	}
	return ""
}
