// Package testdb gives schemagate a throwaway PostgreSQL: a Docker container
// (docker.go), a server started from local binaries (local.go), or an
// existing server on which throwaway databases are created (url.go). Every
// kind is a Server; whatever happens, Close removes everything the run
// created, and nothing else: only databases whose names this run chose are
// ever dropped.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
)

// Server is a PostgreSQL server on which throwaway databases are created.
type Server interface {
	// CreateDatabase creates an empty database with a name of its own.
	CreateDatabase(ctx context.Context) (*Database, error)
	// Version is the server's major version, e.g. 16.
	Version() int
	// Close drops every database this Server created and stops the server
	// when it was started for this run. It is safe to call more than once.
	Close(ctx context.Context) error
	// String describes the server for people, without any password.
	String() string
}

// Database is one throwaway database.
type Database struct {
	Name     string
	Host     string
	Port     int
	User     string
	Password string
	// Params are the connection's other parameters (sslmode, sslrootcert,
	// options, ...): for --db URL, the user's; nil means sslmode=disable,
	// the servers this run starts.
	Params url.Values
}

// URL is the database's connection URL, password included: give it to
// drivers and child processes, never to a log or a report.
func (d *Database) URL() string {
	q := url.Values{"sslmode": {"disable"}}
	if d.Params != nil {
		q = d.Params
	}
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(d.Host, strconv.Itoa(d.Port)), Path: "/" + d.Name, RawQuery: q.Encode()}
	if d.Password != "" {
		u.User = url.UserPassword(d.User, d.Password)
	} else {
		u.User = url.User(d.User)
	}
	return u.String()
}

// Redacted is URL with the password masked, for messages.
func (d *Database) Redacted() string { return redactURL(d.URL()) }

// Env is the environment a child process gets to reach the database:
// DATABASE_URL and the PG* variables that libpq-based tools read.
func (d *Database) Env() []string {
	env := []string{
		"DATABASE_URL=" + d.URL(),
		"PGHOST=" + d.Host,
		"PGPORT=" + strconv.Itoa(d.Port),
		"PGUSER=" + d.User,
		"PGDATABASE=" + d.Name,
	}
	if d.Params == nil {
		env = append(env, "PGSSLMODE=disable")
	} else if m := d.Params.Get("sslmode"); m != "" {
		env = append(env, "PGSSLMODE="+m)
	}
	if d.Password != "" {
		env = append(env, "PGPASSWORD="+d.Password)
	}
	return env
}

// Options configure how a server is started.
type Options struct {
	// PGVersion is the wanted major version: the Docker image tag, and the
	// preferred local binaries. 0 means any (the newest local one).
	PGVersion int
	// Image is the Docker image; default postgres:<PGVersion>.
	Image string
	// Log receives progress lines for people (no passwords).
	Log io.Writer
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// randomName returns prefix followed by 12 random hex digits.
func randomName(prefix string) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return prefix + hex.EncodeToString(b)
}

// DatabasePrefix starts the name of every database schemagate creates.
const DatabasePrefix = "schemagate_"
