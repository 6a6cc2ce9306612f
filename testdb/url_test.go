package testdb

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestURLServerDropsOnlyItsOwn: the url provider creates throwaway
// databases on an existing server and drops them, and only them.
func TestURLServerDropsOnlyItsOwn(t *testing.T) {
	ctx := context.Background()
	local, err := StartLocal(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close(ctx)
	admin := local.Admin()

	conn, err := pgx.Connect(ctx, admin.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// A database of the user's, even one whose name looks like ours.
	for _, name := range []string{"userdata", DatabasePrefix + "000000000000"} {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}

	s, err := OpenURL(ctx, admin.URL())
	if err != nil {
		t.Fatal(err)
	}
	db1, err := s.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db2, err := s.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if db1.Name == db2.Name || !strings.HasPrefix(db1.Name, DatabasePrefix) {
		t.Fatalf("database names %q and %q", db1.Name, db2.Name)
	}
	// A session left open in a throwaway database must not stop the drop.
	held, err := pgx.Connect(ctx, db1.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(ctx)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	got := databases(t, conn)
	for _, name := range []string{db1.Name, db2.Name} {
		if got[name] {
			t.Errorf("throwaway database %s is still there after Close", name)
		}
	}
	for _, name := range []string{"userdata", DatabasePrefix + "000000000000"} {
		if !got[name] {
			t.Errorf("Close dropped %s, which it did not create", name)
		}
	}
}

func databases(t *testing.T, conn *pgx.Conn) map[string]bool {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT datname FROM pg_database")
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// TestOpenURLHidesPassword: errors quote the server without its password.
func TestOpenURLHidesPassword(t *testing.T) {
	_, err := OpenURL(context.Background(), "postgres://someone:hunter2-secret@127.0.0.1:1/postgres")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	if strings.Contains(err.Error(), "hunter2-secret") {
		t.Errorf("error shows the password: %v", err)
	}
}

// TestURLPasswordsHidden: a password in a --db URL's query (password=,
// sslpassword=) is hidden as one in its user info is: in the server's
// description, which goes to the log and the report, and in errors.
func TestURLPasswordsHidden(t *testing.T) {
	for _, raw := range []string{
		"postgres://someone@127.0.0.1:1/postgres?password=hunter2-secret",
		"postgres://someone@127.0.0.1:1/postgres?sslmode=require&sslpassword=hunter2-secret",
		"postgres://someone:hunter2-secret@127.0.0.1:1/postgres?password=hunter2-secret",
		// A ';' in the query, which url.ParseQuery drops rather than reads.
		"postgres://someone@127.0.0.1:1/postgres?password=hunter2;cd-secret",
	} {
		if got := redactURL(raw); strings.Contains(got, "hunter2") || !strings.Contains(got, "127.0.0.1:1") {
			t.Errorf("redactURL(%q) = %q", raw, got)
		}
		_, err := OpenURL(context.Background(), raw)
		if err == nil {
			t.Fatal("connected to port 1")
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("OpenURL(%q): error shows the password: %v", raw, err)
		}
	}
	// Not a URL at all, but a libpq key=value string, quoted, escaped.
	for _, raw := range []string{"host=db password='hunter2 secret' user=app", `host=db password='hunter2\'s secret' user=app`, "host=db password=hunter2 user=app"} {
		_, err := Start(context.Background(), raw, Options{})
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Start(%q) = %v; want an error without the password", raw, err)
		}
	}
}

// TestURLServerKeepsParameters: a throwaway database is reached as the
// user's database was: the URL's TLS and other parameters are kept (a
// server that only takes TLS connections refused the throwaway database's
// sslmode=disable), and an IPv6 address is bracketed.
func TestURLServerKeepsParameters(t *testing.T) {
	s := &URLServer{params: connParams("postgres://app@[::1]:5433/postgres?sslmode=require&application_name=ci&password=pw")}
	d := &Database{Name: "schemagate_x", Host: "::1", Port: 5433, User: "app", Params: s.params}
	want := "postgres://app@[::1]:5433/schemagate_x?application_name=ci&sslmode=require"
	if got := d.URL(); got != want {
		t.Errorf("URL() = %s, want %s", got, want)
	}
	cfg, err := pgx.ParseConfig(d.URL())
	if err != nil {
		t.Fatalf("pgx cannot read the throwaway database's URL: %v", err)
	}
	if cfg.Host != "::1" || cfg.Port != 5433 || cfg.Database != "schemagate_x" || cfg.TLSConfig == nil {
		t.Errorf("pgx reads host %q port %d database %q TLS %v", cfg.Host, cfg.Port, cfg.Database, cfg.TLSConfig != nil)
	}
	if env := strings.Join(d.Env(), " "); !strings.Contains(env, "PGSSLMODE=require") {
		t.Errorf("Env() = %s, want the user's sslmode", env)
	}
	// The servers this run starts have TLS off.
	own := &Database{Name: "schemagate_x", Host: "127.0.0.1", Port: 5432, User: "postgres"}
	if got := own.URL(); !strings.HasSuffix(got, "?sslmode=disable") {
		t.Errorf("URL() = %s, want sslmode=disable", got)
	}
}

// TestStartEchoesSpec: a --db value that is not understood is echoed as
// typed, so the user sees the typo; only a password is hidden.
func TestStartEchoesSpec(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"bogus", `--db "bogus": want`},
		{"dokcer", `--db "dokcer": want`},
		{"mysql://app@db/app", `--db "mysql://app@db/app": want`},
		{"mysql://app:hunter2@db/app", `--db "mysql://app:xxxxx@db/app": want`},
		{"postgres//app:hunter2@db/app", `--db "postgres//app:xxxxx@db/app": want`},
		{"pg://app:hun/ter2@db/app", `--db "pg://app:xxxxx@db/app": want`},
	} {
		_, err := Start(context.Background(), tc.spec, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Start(%q) = %v, want an error starting %s", tc.spec, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hun") {
			t.Errorf("Start(%q) shows the password: %v", tc.spec, err)
		}
	}
}

// TestStartExplicitSaysWhatToDo: --db docker without an engine, and --db
// local without binaries, say how to get a server, as auto does.
func TestStartExplicitSaysWhatToDo(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	_, err := Start(context.Background(), "docker", Options{})
	if err == nil || !strings.Contains(err.Error(), "start Docker") || !strings.Contains(err.Error(), "--db local") {
		t.Errorf("--db docker without an engine: %v; want what to do", err)
	}
	t.Setenv("PG_BIN", t.TempDir())
	_, err = Start(context.Background(), "local", Options{})
	if err == nil || !strings.Contains(err.Error(), "apt-get install postgresql") || !strings.Contains(err.Error(), "--db docker") {
		t.Errorf("--db local without binaries: %v; want what to do", err)
	}
}

// TestConnectError: the server's refusals say what the URL must name.
func TestConnectError(t *testing.T) {
	for _, tc := range []struct{ code, msg, want string }{
		{"3D000", `database "nodb" does not exist`, "the URL must name an existing database"},
		{"28000", `role "nobody" does not exist`, "the URL must name an existing role with CREATEDB"},
		{"28P01", `password authentication failed for user "app"`, "check the URL's role and password"},
	} {
		err := connectError(&pgconn.PgError{Code: tc.code, Message: tc.msg})
		if !strings.HasPrefix(err.Error(), tc.msg+"; ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SQLSTATE %s: %v; want the message and %q", tc.code, err, tc.want)
		}
	}
}
