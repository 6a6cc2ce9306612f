// Package endtoend runs the schemagate command in process over example
// projects and compares what it prints with golden files.
//
// Each case is a directory under testdata/ holding exec.json:
//
//	{"args": ["lint", "--output", "json", "migrations"], "exit": 1}
//
// "$DB" in args stands for the URL of a PostgreSQL server shared by the
// cases (SCHEMAGATE_TEST_DATABASE_URL, else one started from local
// binaries): check creates its own throwaway database on it.
// "$DB{user=NAME}" and "$DB{db=NAME}" are the same URL with another role
// or database.
//
// The command runs with the case directory as working directory. Its
// standard output and error are compared with stdout.txt and stderr.txt
// (a missing golden means the output must be empty), and, when the args
// name --output-file, that file with the golden of the same name.
// `go test ./internal/endtoend -update` rewrites the goldens.
package endtoend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemagate/schemagate/internal/cli"
	"github.com/schemagate/schemagate/testdb"
)

// server is the PostgreSQL shared by the cases that need one.
var server struct {
	once sync.Once
	url  string
	err  error
	stop func()
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if server.stop != nil {
		server.stop()
	}
	os.Exit(code)
}

// serverURL starts the shared server on first use. A case that needs a
// server fails when none can be had: it never skips silently.
func serverURL(t *testing.T) string {
	t.Helper()
	server.once.Do(func() {
		if u := os.Getenv("SCHEMAGATE_TEST_DATABASE_URL"); u != "" {
			server.url = u
			return
		}
		s, err := testdb.StartLocal(context.Background(), testdb.Options{})
		if err != nil {
			server.err = err
			return
		}
		server.stop = func() { s.Close(context.Background()) }
		// The admin database: check creates its own throwaway one on it.
		db := s.Admin()
		server.url = db.URL()
	})
	if server.err != nil {
		t.Fatalf("no PostgreSQL for the check cases (install the postgresql package, or set SCHEMAGATE_TEST_DATABASE_URL): %v", server.err)
	}
	return server.url
}

var update = flag.Bool("update", false, "rewrite golden files")

type execSpec struct {
	Args []string          `json:"args"`
	Exit int               `json:"exit"`
	Env  map[string]string `json:"env"`
}

func TestEndToEnd(t *testing.T) {
	var cases []string
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if _, err := os.Stat(filepath.Join(path, "exec.json")); err == nil {
				cases = append(cases, path)
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases in testdata")
	}
	for _, dir := range cases {
		t.Run(strings.TrimPrefix(filepath.ToSlash(dir), "testdata/"), func(t *testing.T) { runCase(t, dir) })
	}
}

func runCase(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "exec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec execSpec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatalf("exec.json: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(abs)
	// The environment of the runner must not leak into the goldens.
	t.Setenv("GITHUB_ACTIONS", "")
	t.Setenv("GITHUB_WORKSPACE", "")
	for k, v := range spec.Env {
		t.Setenv(k, v)
	}
	args := append([]string(nil), spec.Args...)
	dbURL := ""
	variants := map[string]string{} // a $DB{...} URL -> its arg, for the goldens
	for i, a := range args {
		switch {
		case a == "$DB":
			dbURL = serverURL(t)
			args[i] = dbURL
		case strings.HasPrefix(a, "$DB{"):
			dbURL = serverURL(t)
			args[i] = dbVariant(t, dbURL, a)
			// Messages show it with its password hidden.
			variants[args[i]], variants[redacted(t, args[i])] = a, a
		}
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, &stdout, &stderr)
	if code != spec.Exit {
		t.Errorf("exit status %d, want %d\nstderr:\n%s", code, spec.Exit, stderr.String())
	}
	out, errOut := stdout.String(), stderr.String()
	for u, a := range variants {
		out, errOut = strings.ReplaceAll(out, u, a), strings.ReplaceAll(errOut, u, a)
	}
	golden(t, "stdout.txt", normalize(out, abs, dbURL))
	golden(t, "stderr.txt", normalize(errOut, abs, dbURL))
	for i, a := range spec.Args {
		if a == "--output-file" && i+1 < len(spec.Args) {
			out := spec.Args[i+1]
			got, err := os.ReadFile(out)
			if errors.Is(err, fs.ErrNotExist) && spec.Exit == 2 {
				continue // the case is about a file that cannot be written
			}
			if err != nil {
				t.Fatalf("--output-file %s: %v", out, err)
			}
			os.Remove(out)
			golden(t, out+".golden", normalize(string(got), abs, dbURL))
		}
	}
}

// dbVariant is the shared server's URL with another role or database, for
// the cases about a URL that names one that does not exist:
// "$DB{user=nobody}", "$DB{db=nodb}".
func dbVariant(t *testing.T, dbURL, arg string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	k, v, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(arg, "$DB{"), "}"), "=")
	switch {
	case ok && k == "user":
		u.User = url.User(v)
	case ok && k == "db":
		u.Path = "/" + v
	default:
		t.Fatalf("exec.json: %s: want $DB{user=NAME} or $DB{db=NAME}", arg)
	}
	return u.String()
}

// redacted is a URL with its password hidden, as messages show it.
func redacted(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Redacted()
}

var (
	durations  = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m)\b`)
	serverDesc = regexp.MustCompile(`throwaway server: .*`)
	dbNames    = regexp.MustCompile(testdb.DatabasePrefix + `[0-9a-f]{12}`)
	heldMS     = regexp.MustCompile(`"held_ms": [0-9.e-]+`)
	took       = regexp.MustCompile(`"took": "[^"]*"`)
	serverJSON = regexp.MustCompile(`"server": "[^"]*"`)
)

// normalize makes output comparable across machines and runs: line
// endings and the absolute path of the case directory; for the cases that
// run a server, its address, durations, and the random names of throwaway
// databases.
func normalize(s, dir, dbURL string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, dir, "$CASE")
	s = took.ReplaceAllString(s, `"took": "$$TIME"`)
	if dbURL == "" {
		return s
	}
	s = strings.ReplaceAll(s, dbURL, "$DB")
	if u, err := url.Parse(dbURL); err == nil {
		s = strings.ReplaceAll(s, u.Redacted(), "$DB")
	}
	s = serverDesc.ReplaceAllString(s, "throwaway server: $$SERVER")
	s = dbNames.ReplaceAllString(s, testdb.DatabasePrefix+"$$NAME")
	s = heldMS.ReplaceAllString(s, `"held_ms": $$TIME`)
	s = serverJSON.ReplaceAllString(s, `"server": "$$SERVER"`)
	return durations.ReplaceAllString(s, "$$TIME")
}

// golden compares got with the golden file name in the current directory;
// an empty output means the golden must not exist.
func golden(t *testing.T, name, got string) {
	t.Helper()
	want, err := os.ReadFile(name)
	if *update {
		if got == "" {
			os.Remove(name)
			return
		}
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}
