package testdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// LocalServer is a PostgreSQL started from the initdb and postgres binaries
// of this machine, in a temporary directory, on a free port of 127.0.0.1,
// with the durability settings off that a throwaway server does not need.
type LocalServer struct {
	*URLServer
	bin  string
	dir  string
	cmd  *exec.Cmd
	logs *serverLog
	done chan struct{} // closed when the postgres process has exited

	once     sync.Once
	closeErr error
}

// ErrNoLocalPostgres says that no PostgreSQL binaries were found.
var ErrNoLocalPostgres = errors.New("no local PostgreSQL binaries (initdb and postgres) found")

// speedSettings turn off what only protects data across crashes.
var speedSettings = []string{"fsync=off", "synchronous_commit=off", "full_page_writes=off"}

// FindLocalBinaries returns the directory that holds initdb and postgres:
// $PG_BIN, then $PATH, then the places Debian, Ubuntu, Homebrew and the
// PostgreSQL installers use. With version > 0 a directory of that major
// version is preferred; otherwise the newest wins.
func FindLocalBinaries(version int) (string, error) {
	if dir := os.Getenv("PG_BIN"); dir != "" {
		if !hasBinaries(dir) {
			return "", fmt.Errorf("PG_BIN=%s holds no initdb and postgres: %w", dir, ErrNoLocalPostgres)
		}
		return dir, nil
	}
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, pattern := range []string{
		"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin",
		"/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin", "/opt/homebrew/bin",
	} {
		matches, _ := filepath.Glob(pattern)
		sort.Sort(sort.Reverse(sort.StringSlice(matches)))
		candidates = append(candidates, matches...)
	}
	var found []string
	for _, dir := range candidates {
		if hasBinaries(dir) {
			found = append(found, dir)
		}
	}
	if len(found) == 0 {
		return "", ErrNoLocalPostgres
	}
	if version > 0 {
		for _, dir := range found {
			if binaryVersion(dir) == version {
				return dir, nil
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return binaryVersion(found[i]) > binaryVersion(found[j]) })
	return found[0], nil
}

func hasBinaries(dir string) bool {
	for _, b := range []string{"initdb", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, b)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// binaryVersion asks postgres --version for its major version.
func binaryVersion(dir string) int {
	out, err := exec.Command(filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return 0
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return 0
	}
	major, _, _ := strings.Cut(fields[2], ".")
	n, _ := strconv.Atoi(major)
	return n
}

// StartLocal initialises and starts a server from local binaries.
func StartLocal(ctx context.Context, opts Options) (*LocalServer, error) {
	bin, err := FindLocalBinaries(opts.PGVersion)
	if err != nil {
		return nil, err
	}
	dir, err := serverDir()
	if err != nil {
		return nil, err
	}
	s := &LocalServer{bin: bin, dir: dir, logs: &serverLog{}, done: make(chan struct{})}
	if err := s.start(ctx, opts); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	return s, nil
}

func (s *LocalServer) start(ctx context.Context, opts Options) error {
	cred, err := unprivileged(s.dir)
	if err != nil {
		return err
	}
	data := filepath.Join(s.dir, "data")
	// Connections over TCP must give the superuser's random password: with
	// trust on 127.0.0.1, any user of the machine could connect as the
	// superuser while the replay runs (and run programs as the server's
	// user). The socket, in the server's own directory, only its user
	// reaches.
	password := randomPassword()
	pwfile := filepath.Join(s.dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the superuser's password for initdb: %w", err)
	}
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("give %s to the server's user: %w", pwfile, err)
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(s.bin, "initdb"),
		"-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile="+pwfile,
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := initdb.CombinedOutput()
	os.Remove(pwfile)
	if err != nil {
		return fmt.Errorf("initdb in %s: %w\n%s", s.dir, err, bytes.TrimSpace(out))
	}

	// A free port can be taken between our probe and the server's bind:
	// try a few.
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", s.dir, "-c", "listen_addresses=127.0.0.1"}
		for _, set := range speedSettings {
			args = append(args, "-c", set)
		}
		s.logs.Reset()
		s.cmd = exec.Command(filepath.Join(s.bin, "postgres"), args...)
		s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
		// Pdeathsig stops the server if schemagate itself is killed
		// without a chance to clean up.
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
		// Pdeathsig fires when the starting thread exits: keep it alive.
		runtime.LockOSThread()
		err = s.cmd.Start()
		runtime.UnlockOSThread()
		if err != nil {
			return fmt.Errorf("start postgres: %w", err)
		}
		s.done = make(chan struct{})
		go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(s.cmd, s.done)

		s.URLServer, err = waitReady(ctx, s.done, func(ctx context.Context) (*URLServer, error) {
			return newAdmin(ctx, "127.0.0.1", port, "postgres", password, "local server in "+s.dir)
		})
		if err == nil {
			return nil
		}
		if strings.Contains(s.logs.String(), "could not bind") && attempt < 3 {
			continue
		}
		return fmt.Errorf("%w\nserver log:\n%s", err, strings.TrimSpace(s.logs.String()))
	}
}

// serverLog keeps what the server writes to its stdout and stderr, which
// exec copies from another goroutine while start-up reads it.
type serverLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *serverLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

// waitReady connects until the server answers, the process exits, or ctx
// ends: readiness is a real connection, not a sleep.
func waitReady(ctx context.Context, exited <-chan struct{}, connect func(context.Context) (*URLServer, error)) (*URLServer, error) {
	deadline := time.Now().Add(30 * time.Second)
	delay := 10 * time.Millisecond
	for {
		s, err := connect(ctx)
		if err == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("server not ready after 30s: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-exited:
			return nil, errors.New("postgres exited during start-up")
		case <-time.After(delay):
		}
		delay = min(delay*2, 200*time.Millisecond)
	}
}

// serverDir creates the server's temporary directory. Unless TMPDIR says
// where, it is in memory (/dev/shm) when that is a tmpfs with room to
// spare, as a Docker server's data directory is: on a disk, creating and
// removing the files of the thousands of relations a replay makes can cost
// more than the statements. As root, the server runs as another user, who
// must be able to reach the directory: a private TMPDIR (mode 0700) is no
// good, and /tmp is tried instead.
func serverDir() (string, error) {
	var tried []string
	parents := []string{os.TempDir(), "/tmp"}
	if os.Getenv("TMPDIR") == "" && inMemory(sharedMemory, memoryRoom) {
		parents = append([]string{sharedMemory}, parents...)
	}
	for _, parent := range parents {
		if os.Geteuid() == 0 && !worldTraversable(parent) {
			tried = append(tried, parent)
			continue
		}
		dir, err := os.MkdirTemp(parent, "schemagate-pg-")
		if err != nil {
			return "", fmt.Errorf("temporary directory for PostgreSQL: %w", err)
		}
		return dir, nil
	}
	return "", fmt.Errorf("no temporary directory that the postgres user can reach (tried %s): set TMPDIR to one whose parents all allow others to enter (chmod o+x)", strings.Join(tried, ", "))
}

// sharedMemory is where Linux mounts a tmpfs for every user; memoryRoom is
// the room it must have for a server's data directory to go there (a
// replay's rarely passes a few hundred megabytes; Docker gives a container
// 64 MB).
const (
	sharedMemory = "/dev/shm"
	memoryRoom   = 1 << 30
)

// worldTraversable reports whether every directory from / down to dir lets
// other users enter it.
func worldTraversable(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

// unprivileged returns the credentials to run PostgreSQL with: PostgreSQL
// refuses to run as root, so as root it runs as the "postgres" user (or
// "nobody"), which is given dir.
func unprivileged(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if u == nil {
		return nil, errors.New("running as root, and there is no postgres or nobody user to run PostgreSQL as: create one, or run schemagate as another user")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("give %s to user %s: %w", dir, u.Username, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *LocalServer) String() string {
	if s.URLServer == nil {
		return "local PostgreSQL in " + s.dir
	}
	return fmt.Sprintf("local PostgreSQL %d (%s)", s.Version(), s.bin)
}

// Close stops the server and removes its directory.
func (s *LocalServer) Close(ctx context.Context) error {
	s.once.Do(func() {
		var errs []error
		if s.cmd != nil && s.cmd.Process != nil {
			// SIGQUIT: immediate shutdown; nothing here needs to survive.
			_ = s.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.done
			}
		}
		if err := os.RemoveAll(s.dir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", s.dir, err))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Dir is the server's temporary directory (tests check it is removed).
func (s *LocalServer) Dir() string { return s.dir }

// Admin is the server's postgres database, reached as its superuser (with
// the password): for tests that look at the server from outside.
func (s *LocalServer) Admin() *Database {
	return &Database{Name: "postgres", Host: s.admin.Host, Port: int(s.admin.Port), User: s.admin.User, Password: s.admin.Password}
}
