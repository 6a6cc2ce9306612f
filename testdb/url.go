package testdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// URLServer creates throwaway databases on an existing server, given the
// URL of a database on it that the user may connect to. It runs nothing in
// that database, and drops only the databases it created.
type URLServer struct {
	admin   *pgx.ConnConfig
	params  url.Values // the connection parameters the throwaway databases' URLs keep
	version int
	what    string

	mu      sync.Mutex
	created []string
}

// OpenURL connects to an existing server.
func OpenURL(ctx context.Context, rawURL string) (*URLServer, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("--db: %v; give a URL like postgres://user:password@host:5432/postgres", redactErr(err, rawURL))
	}
	s := &URLServer{admin: cfg, params: connParams(rawURL), what: "server at " + redactURL(rawURL)}
	if err := s.connectVersion(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// newAdmin is used by the providers that start a server: they know its
// address and superuser.
func newAdmin(ctx context.Context, host string, port int, user, password, what string) (*URLServer, error) {
	d := &Database{Name: "postgres", Host: host, Port: port, User: user, Password: password}
	cfg, err := pgx.ParseConfig(d.URL())
	if err != nil {
		return nil, err
	}
	s := &URLServer{admin: cfg, what: what}
	if err := s.connectVersion(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *URLServer) connectVersion(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, s.admin)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", s.what, connectError(err))
	}
	defer conn.Close(context.Background())
	var num string
	if err := conn.QueryRow(ctx, "SHOW server_version_num").Scan(&num); err != nil {
		return fmt.Errorf("ask %s for its version: %w", s.what, err)
	}
	n, _ := strconv.Atoi(num)
	s.version = n / 10000
	return nil
}

// Version is the server's major version.
func (s *URLServer) Version() int { return s.version }

func (s *URLServer) String() string { return fmt.Sprintf("PostgreSQL %d, %s", s.version, s.what) }

// CreateDatabase creates an empty database with a random name.
func (s *URLServer) CreateDatabase(ctx context.Context) (*Database, error) {
	name := randomName(DatabasePrefix)
	conn, err := pgx.ConnectConfig(ctx, s.admin)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", s.what, err)
	}
	defer conn.Close(context.Background())
	// Recorded first: a CREATE that was interrupted may still have
	// committed, and Close drops it if it exists.
	s.mu.Lock()
	s.created = append(s.created, name)
	s.mu.Unlock()
	// template0: a user's template1 may hold objects that would show up as
	// differences in every schema comparison.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0"); err != nil {
		return nil, fmt.Errorf("create a throwaway database on %s: %w (the user needs the CREATEDB privilege)", s.what, err)
	}
	return &Database{
		Name: name, Host: s.admin.Host, Port: int(s.admin.Port),
		User: s.admin.User, Password: s.admin.Password, Params: s.params,
	}, nil
}

// Close drops the databases this server created, and only those.
func (s *URLServer) Close(ctx context.Context) error {
	s.mu.Lock()
	names := s.created
	s.created = nil
	s.mu.Unlock()
	if len(names) == 0 {
		return nil
	}
	conn, err := pgx.ConnectConfig(ctx, s.admin)
	if err != nil {
		return fmt.Errorf("connect to %s to drop %s: %w", s.what, strings.Join(names, ", "), err)
	}
	defer conn.Close(context.Background())
	var errs []error
	for _, name := range names {
		if !strings.HasPrefix(name, DatabasePrefix) {
			continue // never reached: a second guard against dropping what is not ours
		}
		if err := dropDatabase(ctx, conn, name, s.version); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func dropDatabase(ctx context.Context, conn *pgx.Conn, name string, version int) error {
	q := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize()
	if version >= 13 {
		q += " WITH (FORCE)"
	} else {
		_, _ = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	}
	if _, err := conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("drop throwaway database %s: %w", name, err)
	}
	return nil
}

// connParams are the query parameters of a --db URL other than those a
// Database holds (sslmode, sslrootcert, options, ...), so that a throwaway
// database is reached as the user's database was (over TLS where the
// server requires it). Empty, not nil: the user's server, not one this run
// started with TLS off.
func connParams(raw string) url.Values {
	params := url.Values{}
	u, err := url.Parse(raw)
	if err != nil {
		return params
	}
	for k, vs := range u.Query() {
		switch k {
		case "host", "hostaddr", "port", "user", "password", "dbname", "database":
			continue
		}
		params[k] = vs
	}
	return params
}

// secretParam finds a password parameter, as typed: in a URL's query
// (?password=..., &sslpassword=..., ";" too, which url.ParseQuery drops
// rather than reads) or in a key=value string (password='it\'s').
var secretParam = regexp.MustCompile(`(?i)(^|[?&;\s])((?:ssl)?password)(\s*=\s*)('(?:[^'\\]|\\.)*'|[^&;\s]*)`)

// secrets are the passwords a --db value holds, each as typed and as a
// driver may quote it back: in the URL's user info, or as parameters.
func secrets(raw string) []string {
	var out []string
	add := func(v string) {
		if v != "" {
			out = append(out, v)
		}
	}
	for _, m := range secretParam.FindAllStringSubmatch(raw, -1) {
		v := m[4]
		add(v)
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = v[1 : len(v)-1]
			add(v)
			add(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v))
		}
		if u, err := url.QueryUnescape(v); err == nil {
			add(u)
		}
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			add(p)
		}
	} else if p := userInfoPassword(raw); p != "" {
		add(p)
	}
	return out
}

// userInfoPassword is what lies between the user's ':' and the last '@'
// of a URL that url.Parse could not make out ("postgres//user:pw@host", a
// password with a '/').
func userInfoPassword(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return ""
	}
	start := 0
	if i := strings.Index(raw[:at], "://"); i >= 0 {
		start = i + len("://")
	}
	if c := strings.Index(raw[start:at], ":"); c >= 0 {
		return raw[start+c+1 : at]
	}
	return ""
}

// redactURL echoes a --db value for messages as typed, hiding only its
// passwords: a value that is no URL (a typo of "docker") is shown whole, so
// that the user sees what was wrong with it.
func redactURL(raw string) string {
	raw = secretParam.ReplaceAllString(raw, "${1}${2}${3}xxxxx")
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
		return raw
	}
	if p := userInfoPassword(raw); p != "" {
		at := strings.LastIndex(raw, "@")
		return raw[:at-len(p)] + "xxxxx" + raw[at:]
	}
	return raw
}

// redactErr keeps the passwords out of an error that quotes the URL.
func redactErr(err error, raw string) string {
	msg := err.Error()
	for _, p := range secrets(raw) {
		msg = strings.ReplaceAll(msg, p, "xxxxx")
	}
	return msg
}

// connectError shortens pgx's connection error, which repeats the cause
// for every address it tried, to its first cause.
// A server's refusal (no such database or role) is what the user must act
// on, so it is shown alone, with what the URL must name.
func connectError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "3D000": // invalid_catalog_name
			return fmt.Errorf("%s; the URL must name an existing database the role can connect to, such as postgres (the throwaway databases are created beside it)", pe.Message)
		case pe.Code == "28000" && strings.HasPrefix(pe.Message, "role "): // invalid_authorization_specification
			return fmt.Errorf("%s; the URL must name an existing role with CREATEDB (or a superuser), such as postgres", pe.Message)
		case pe.Code == "28P01": // invalid_password
			return fmt.Errorf("%s; check the URL's role and password (a server that asks for a password does not say whether the role exists)", pe.Message)
		}
		return fmt.Errorf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if cause := errors.Unwrap(ce); cause != nil {
			var op *net.OpError
			if errors.As(cause, &op) {
				return fmt.Errorf("%v (is the server running, and is the address right?)", op.Err)
			}
			return cause
		}
	}
	return err
}
