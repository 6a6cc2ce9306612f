// Package testdbtest gives a test package one PostgreSQL server shared by
// its tests: the one at SCHEMAGATE_TEST_DATABASE_URL, else one started from
// the local binaries on first use. A test that cannot get a server fails;
// it never skips, so a machine without PostgreSQL cannot pass silently.
//
//	var shared testdbtest.Shared
//
//	func TestMain(m *testing.M) { os.Exit(shared.Run(m)) }
//
//	func TestX(t *testing.T) { db, err := shared.Server(t).CreateDatabase(ctx) ... }
package testdbtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemagate/schemagate/testdb"
)

// Shared is a server started once, on first use, and closed by Run.
type Shared struct {
	once sync.Once
	s    testdb.Server
	err  error
}

// Server returns the shared server, starting it on first use.
func (sh *Shared) Server(t testing.TB) testdb.Server {
	t.Helper()
	sh.once.Do(func() {
		ctx := context.Background()
		if u := os.Getenv("SCHEMAGATE_TEST_DATABASE_URL"); u != "" {
			sh.s, sh.err = testdb.OpenURL(ctx, u)
			return
		}
		sh.s, sh.err = testdb.StartLocal(ctx, testdb.Options{})
	})
	if sh.err != nil {
		t.Fatalf("no PostgreSQL for the tests (install the postgresql package, or set SCHEMAGATE_TEST_DATABASE_URL): %v", sh.err)
	}
	return sh.s
}

// Connect creates a fresh database on the shared server and returns a
// connection to it, closed when the test ends.
func (sh *Shared) Connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	db, err := sh.Server(t).CreateDatabase(ctx)
	if err != nil {
		t.Fatalf("create a database for the test: %v", err)
	}
	conn, err := pgx.Connect(ctx, db.URL())
	if err != nil {
		t.Fatalf("connect to the test's database: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Run runs the package's tests, then closes the server if one was started,
// and returns the exit code for os.Exit.
func (sh *Shared) Run(m *testing.M) int {
	code := m.Run()
	if sh.s != nil {
		if err := sh.s.Close(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	return code
}
