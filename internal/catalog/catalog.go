// Package catalog reads the schema of a PostgreSQL database into a Snapshot,
// in one query and one round trip, and lists the differences between two
// snapshots.
//
// A snapshot holds the user's objects only: nothing from pg_catalog,
// information_schema, pg_toast or temporary schemas, and nothing that
// belongs to an extension (the extensions themselves are listed, with their
// version). A fresh database created from template0 holds two objects: the
// schema public and the extension plpgsql; they are in every snapshot and
// never a difference unless a migration drops them.
//
// Each object has a definition, Def, as PostgreSQL prints it, with every
// name that is not in pg_catalog schema-qualified: two snapshots compare
// equal exactly when the objects are defined the same way, whatever
// session settings (search_path, TimeZone, DateStyle...) the connection
// had. Definitions hold no OIDs, so snapshots of two databases compare.
//
// What a snapshot holds, by kind:
//
//	schema, extension (schema and version)
//	table (persistence, partition key, partition parent and bounds,
//	  inheritance parents, access method, storage options, row level
//	  security, replica identity)
//	column (type with modifier, collation when not the type's, NOT NULL,
//	  default, identity, generated expression, storage, compression,
//	  statistics target, options). Column order is not part of the schema:
//	  a column's key is its table and name, and its position is not in Def.
//	constraint (pg_get_constraintdef: deferrable, NOT VALID)
//	index (as pg_get_indexdef; INVALID appended for an invalid index),
//	  including the indexes behind constraints
//	sequence (type, increment, bounds, start, cache, cycle, owner column;
//	  not its current value)
//	type (composite, range, base and shell types), enum (labels in order),
//	  domain (base type, collation, default, NOT NULL, constraints)
//	view, materialized view (pg_get_viewdef, options)
//	function, procedure (pg_get_functiondef), aggregate
//	trigger (pg_get_triggerdef, enabled state; not internal triggers)
//	policy, rule, statistics, collation, foreign table, server,
//	  event trigger
//
// Not part of a snapshot: comments, owners, privileges, tablespaces,
// operators, operator classes and families, casts, text search objects,
// foreign-data wrappers, user mappings, publications and subscriptions.
package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Snapshot is the schema of one database, read in one round trip.
type Snapshot struct {
	// Objects are keyed by Object.Key.
	Objects map[string]Object
}

// Object is one schema object.
type Object struct {
	// Kind is one of the kinds listed in the package documentation:
	// "table", "column", "index"...
	Kind string
	// Name is the object's name, qualified, each part quoted only when
	// needed: public.users, public.users.email for a column or a
	// constraint, public.f(integer) for a function.
	Name string
	// Def is the object's definition as PostgreSQL prints it, never empty.
	Def string
}

// Key identifies an object within a snapshot: its kind and name.
func (o Object) Key() string { return o.Kind + " " + o.Name }

// Sorted returns the snapshot's objects in the order Diff reports them: by
// kind (schemas first, then types, tables, columns...), then by name.
func (s *Snapshot) Sorted() []Object {
	if s == nil {
		return nil
	}
	objs := make([]Object, 0, len(s.Objects))
	for _, o := range s.Objects {
		objs = append(objs, o)
	}
	sort.Slice(objs, func(i, j int) bool { return less(objs[i].Kind, objs[i].Name, objs[j].Kind, objs[j].Name) })
	return objs
}

// ErrUnsupportedVersion says the server is older than the snapshot query
// supports.
var ErrUnsupportedVersion = errors.New("reading the schema needs PostgreSQL 13 or later")

// Take reads the schema of the database conn is connected to, in one query
// and one round trip.
//
// The query runs with search_path, TimeZone, DateStyle and the other
// settings that change how PostgreSQL prints definitions set to fixed
// values for its duration only: the session's settings are left as they
// were. Outside a transaction block the query is a prepared statement,
// prepared on the connection's first snapshot (in the same round trip), so
// later snapshots skip planning. Inside a transaction block it runs in a
// savepoint that is rolled back, so the transaction is left as it was.
func Take(ctx context.Context, conn *pgx.Conn) (*Snapshot, error) {
	pg := conn.PgConn()
	major := serverMajor(pg)
	if major < minVersion {
		return nil, fmt.Errorf("%w (the server is version %s)", ErrUnsupportedVersion, pg.ParameterStatus("server_version"))
	}
	q := queryFor(major)
	switch pg.TxStatus() {
	case 'I':
	case 'T':
		s, err := run(ctx, pg, q.inTx, 2)
		if err != nil && pg.TxStatus() == 'E' {
			// Give the transaction back as it was before the snapshot.
			if rerr := pg.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; RELEASE SAVEPOINT "+savepoint).Close(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back to the savepoint before the snapshot: %w", rerr))
			}
		}
		return s, err
	default:
		return nil, errors.New("read the schema: the connection is in a failed transaction")
	}
	prep := preparedOn(pg)
	for attempt := 0; ; attempt++ {
		text, at := q.execute, 1
		if !prep.has(q.name) {
			text, at = q.prepare, 2
		}
		s, err := run(ctx, pg, text, at)
		var pgErr *pgconn.PgError
		if attempt == 0 && errors.As(err, &pgErr) {
			// Someone ran DEALLOCATE or DISCARD, or prepared the name
			// behind our back: correct the record and try once more.
			switch pgErr.Code {
			case "26000": // invalid_sql_statement_name: not prepared
				prep.set(q.name, false)
				continue
			case "42P05": // duplicate_prepared_statement
				prep.set(q.name, true)
				continue
			}
		}
		if err == nil {
			prep.set(q.name, true)
		}
		return s, err
	}
}

// settings fix, for the snapshot query only, every setting that changes how
// the server prints a definition: search_path (qualification),
// quote_all_identifiers, and the output of constants in defaults,
// partition bounds and view definitions. The last two are for the planner:
// jit would cost more than the query, and the catalogs are in memory, where
// an index lookup costs about what a sequential read does; at the default
// random_page_cost the planner reads a small catalog from end to end for
// every row of a lookup, which grows as the square of the schema when the
// plan outlives the catalog's size.
const settings = `SELECT pg_catalog.set_config('search_path', 'pg_catalog', true),
  pg_catalog.set_config('quote_all_identifiers', 'off', true),
  pg_catalog.set_config('DateStyle', 'ISO, MDY', true),
  pg_catalog.set_config('IntervalStyle', 'postgres', true),
  pg_catalog.set_config('TimeZone', 'UTC', true),
  pg_catalog.set_config('extra_float_digits', '1', true),
  pg_catalog.set_config('bytea_output', 'hex', true),
  pg_catalog.set_config('lc_monetary', 'C', true),
  pg_catalog.set_config('jit', 'off', true),
  pg_catalog.set_config('random_page_cost', '1', true)`

// savepoint names the savepoint the in-transaction snapshot runs in.
const savepoint = "schemagate_catalog_snapshot"

// query holds the texts sent for one server version. Each is several
// statements in one simple-protocol message: one round trip. Outside a
// transaction block the message is an implicit transaction, so the
// set_config(..., true) calls last for the message only.
type query struct {
	name    string // of the prepared statement
	prepare string // settings; PREPARE; EXECUTE
	execute string // settings; EXECUTE
	inTx    string // SAVEPOINT; settings; the query; ROLLBACK TO and RELEASE
}

var queries sync.Map // major version -> *query

func queryFor(major int) *query {
	if q, ok := queries.Load(major); ok {
		return q.(*query)
	}
	sql := buildQuery(major)
	sum := sha256.Sum256([]byte(sql))
	// The hash in the name keeps two versions of this package (or two
	// server versions' queries) from using each other's statement.
	name := "schemagate_catalog_" + hex.EncodeToString(sum[:6])
	q := &query{
		name:    name,
		prepare: settings + ";\nPREPARE " + name + " AS\n" + sql + ";\nEXECUTE " + name,
		execute: settings + ";\nEXECUTE " + name,
		inTx: "SAVEPOINT " + savepoint + ";\n" + settings + ";\n" + sql + ";\nROLLBACK TO SAVEPOINT " + savepoint +
			";\nRELEASE SAVEPOINT " + savepoint,
	}
	actual, _ := queries.LoadOrStore(major, q)
	return actual.(*query)
}

// serverMajor is the server's major version, from the parameter the server
// reports at connection start (no round trip).
func serverMajor(pg *pgconn.PgConn) int {
	v := pg.ParameterStatus("server_version")
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		v = v[:end]
	}
	n, _ := strconv.Atoi(v)
	return n
}

// run sends text, reads the rows of its at-th statement (counting from 0)
// into a snapshot, and drains the rest.
func run(ctx context.Context, pg *pgconn.PgConn, text string, at int) (*Snapshot, error) {
	s := &Snapshot{Objects: make(map[string]Object, 256)}
	mrr := pg.Exec(ctx, text)
	for i := 0; mrr.NextResult(); i++ {
		rr := mrr.ResultReader()
		if i == at {
			if n := len(rr.FieldDescriptions()); n != 3 {
				rr.Close()
				mrr.Close()
				return nil, fmt.Errorf("read the schema: the snapshot query returned %d columns, want 3", n)
			}
			for rr.NextRow() {
				s.add(rr.Values())
			}
		}
		if _, err := rr.Close(); err != nil {
			mrr.Close()
			return nil, fmt.Errorf("read the schema: %w", err)
		}
	}
	if err := mrr.Close(); err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	return s, nil
}

// kinds interns the kind strings so that rows do not allocate them.
var kinds = func() map[string]string {
	m := make(map[string]string, len(kindOrder))
	for _, k := range kindOrder {
		m[k] = k
	}
	return m
}()

func (s *Snapshot) add(row [][]byte) {
	kind, ok := kinds[string(row[0])]
	if !ok {
		kind = string(row[0])
	}
	o := Object{Kind: kind, Name: string(row[1]), Def: strings.TrimSpace(string(row[2]))}
	if o.Def == "" {
		o.Def = "(no definition)"
	}
	key := o.Key()
	if prev, dup := s.Objects[key]; dup {
		// Not expected (names are unique per kind), but if the catalogs
		// ever hold two, keep both definitions, in an order that does not
		// depend on the order the rows came in.
		defs := []string{prev.Def, o.Def}
		sort.Strings(defs)
		o.Def = strings.Join(defs, "\n")
	}
	s.Objects[key] = o
}

// prepared records which statements are prepared on a connection. It holds
// the connection weakly: the record goes when the connection does.
type prepared struct {
	mu    sync.Mutex
	names map[string]bool
}

var preparedByConn sync.Map // weak.Pointer[pgconn.PgConn] -> *prepared

func preparedOn(pg *pgconn.PgConn) *prepared {
	key := weak.Make(pg)
	if p, ok := preparedByConn.Load(key); ok {
		return p.(*prepared)
	}
	p, loaded := preparedByConn.LoadOrStore(key, &prepared{names: map[string]bool{}})
	if !loaded {
		runtime.AddCleanup(pg, func(k weak.Pointer[pgconn.PgConn]) { preparedByConn.Delete(k) }, key)
	}
	return p.(*prepared)
}

func (p *prepared) has(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.names[name]
}

func (p *prepared) set(name string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names[name] = ok
}
