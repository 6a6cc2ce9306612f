// Package catalog reads the schema of a PostgreSQL database into a Snapshot,
// in one round trip, and lists the differences between two snapshots
// (Diff), for people (Change.String).
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
	"maps"
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
	// A Logged's snapshot is the one before it (base) and what changed
	// (delta: a key's object, nil for one removed), until its objects are
	// asked for: copying the whole map for every snapshot of a replay cost
	// more than the rest of the client's work on it.
	mu      sync.Mutex
	objects map[string]Object // all, keyed by Object.Key; nil while base is set
	base    *Snapshot
	delta   map[string]*Object
	depth   int // deltas down to a snapshot with objects

	// changes, when set, tells which keys the snapshots that a Logged
	// took just before this one (gen) changed: Diff looks at those only.
	changes *changeLog
	gen     int
}

// NewSnapshot returns the snapshot of the objects, keyed by Object.Key.
func NewSnapshot(objects map[string]Object) *Snapshot { return &Snapshot{objects: objects} }

// maxDepth is how many deltas a snapshot may sit on before its objects are
// put together: a lookup reads at most that many maps.
const maxDepth = 32

// layered returns the snapshot that is base with delta applied.
func layered(base *Snapshot, delta map[string]*Object) *Snapshot {
	s := &Snapshot{base: base, delta: delta, depth: base.depth + 1}
	if s.depth >= maxDepth {
		s.objects = s.merge()
		s.base, s.delta, s.depth = nil, nil, 0
	}
	return s
}

// merge puts the objects together from the nearest snapshot that has them
// and the deltas since, without keeping those of the snapshots between.
func (s *Snapshot) merge() map[string]Object {
	var chain []*Snapshot
	b := s
	for {
		b.mu.Lock()
		objs := b.objects
		b.mu.Unlock()
		if objs != nil {
			out := maps.Clone(objs)
			for i := len(chain) - 1; i >= 0; i-- {
				for k, o := range chain[i].delta {
					if o == nil {
						delete(out, k)
					} else {
						out[k] = *o
					}
				}
			}
			return out
		}
		chain = append(chain, b)
		b = b.base
	}
}

// Objects returns the snapshot's objects keyed by Object.Key; the map is
// the snapshot's own, not to be changed. A nil snapshot has none.
func (s *Snapshot) Objects() map[string]Object {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	objs := s.objects
	s.mu.Unlock()
	if objs != nil {
		return objs
	}
	objs = s.merge()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects == nil {
		s.objects, s.base, s.delta, s.depth = objs, nil, nil, 0
	}
	return s.objects
}

// Lookup returns the object with the given key.
func (s *Snapshot) Lookup(key string) (Object, bool) {
	for b := s; b != nil; {
		b.mu.Lock()
		objs, delta, base := b.objects, b.delta, b.base
		b.mu.Unlock()
		if objs != nil {
			o, ok := objs[key]
			return o, ok
		}
		if o, ok := delta[key]; ok {
			if o == nil {
				return Object{}, false
			}
			return *o, true
		}
		b = base
	}
	return Object{}, false
}

// Len is the number of objects.
func (s *Snapshot) Len() int { return len(s.Objects()) }

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
	objs := make([]Object, 0, s.Len())
	for _, o := range s.Objects() {
		objs = append(objs, o)
	}
	sort.Slice(objs, func(i, j int) bool { return less(objs[i].Kind, objs[i].Name, objs[j].Kind, objs[j].Name) })
	return objs
}

// ErrUnsupportedVersion says the server is older than the snapshot query
// supports.
var ErrUnsupportedVersion = errors.New("reading the schema needs PostgreSQL 13 or later")

// Take reads the schema of the database conn is connected to, in one round
// trip.
//
// It sends the snapshot's statements in one message, with search_path,
// TimeZone, DateStyle and the other settings that change how PostgreSQL
// prints definitions set to fixed values for the message only: the
// session's settings are left as they were. Outside a transaction block
// the statements are prepared on the connection's first snapshot (in the
// same message), so later snapshots skip planning. Inside a transaction
// block they run in a savepoint that is rolled back, so the transaction is
// left as it was, even when the snapshot fails.
//
// Printing a view's definition takes a share lock on the tables the view
// reads: Take waits for a session that holds an exclusive lock on one.
func Take(ctx context.Context, conn *pgx.Conn) (*Snapshot, error) {
	pg := conn.PgConn()
	major := serverMajor(pg)
	if major < minVersion {
		return nil, fmt.Errorf("%w (the server is version %s)", ErrUnsupportedVersion, pg.ParameterStatus("server_version"))
	}
	q := queryFor(major)
	st := stateOf(pg)
	st.mu.Lock()
	defer st.mu.Unlock()
	switch pg.TxStatus() {
	case 'I':
		return st.take(ctx, pg, q)
	case 'T':
		s, err := run(ctx, pg, q.inTx(), 2, st)
		if err != nil && pg.TxStatus() == 'E' {
			// Give the transaction back as it was before the snapshot.
			if rerr := pg.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; RELEASE SAVEPOINT "+savepoint).Close(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back to the savepoint before the snapshot: %w", rerr))
			}
		}
		return s, err
	default:
		return nil, errors.New("the connection is in a failed transaction: roll it back first")
	}
}

// take runs the prepared statements, preparing them first if they are not.
func (st *connState) take(ctx context.Context, pg *pgconn.PgConn, q *query) (*Snapshot, error) {
	for attempt := 0; ; attempt++ {
		text, at := q.execute(st.gen), 1
		if !st.ready {
			text, at = q.prepare(st.gen), 3
		}
		s, err := run(ctx, pg, text, at, st)
		var pgErr *pgconn.PgError
		if attempt == 0 && errors.As(err, &pgErr) && (pgErr.Code == "26000" || pgErr.Code == "42P05") {
			// invalid_sql_statement_name, duplicate_prepared_statement:
			// someone ran DEALLOCATE or DISCARD, or prepared a name behind
			// Take's back. Prepare the statements afresh, under new names.
			st.gen++
			st.ready = false
			continue
		}
		st.ready = st.ready || err == nil
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

// query holds the snapshot statements for one server version. Take sends
// them with the settings in one simple-protocol message: one round trip.
// Outside a transaction block the message is an implicit transaction, so
// the set_config(..., true) calls last for the message only.
type query struct {
	base             string // prefix of the prepared statements' names
	objects, indexes string // the two SELECTs
}

var queries sync.Map // major version -> *query

func queryFor(major int) *query {
	if q, ok := queries.Load(major); ok {
		return q.(*query)
	}
	objects, indexes := buildQuery(major)
	sum := sha256.Sum256([]byte(objects + indexes))
	// The hash in the name keeps two versions of this package (or two
	// server versions' queries) from using each other's statements.
	q := &query{base: "schemagate_catalog_" + hex.EncodeToString(sum[:6]), objects: objects, indexes: indexes}
	actual, _ := queries.LoadOrStore(major, q)
	return actual.(*query)
}

// names are the prepared statements' names in a generation.
func (q *query) names(gen int) (objects, indexes string) {
	g := strconv.Itoa(gen)
	return q.base + "_" + g + "_o", q.base + "_" + g + "_i"
}

// prepare is the message that prepares and runs the statements; the rows
// are in the results numbered 3 and 4.
func (q *query) prepare(gen int) string {
	o, i := q.names(gen)
	return settings + ";\nPREPARE " + o + " AS\n" + q.objects + ";\nPREPARE " + i + " AS\n" + q.indexes +
		";\nEXECUTE " + o + ";\nEXECUTE " + i
}

// execute is the message that runs the prepared statements; the rows are
// in the results numbered 1 and 2.
func (q *query) execute(gen int) string {
	o, i := q.names(gen)
	return settings + ";\nEXECUTE " + o + ";\nEXECUTE " + i
}

// inTx is the message for a connection in a transaction block; the rows
// are in the results numbered 2 and 3.
func (q *query) inTx() string {
	return "SAVEPOINT " + savepoint + ";\n" + settings + ";\n" + q.objects + ";\n" + q.indexes +
		";\nROLLBACK TO SAVEPOINT " + savepoint + ";\nRELEASE SAVEPOINT " + savepoint
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

// run sends text and reads the objects from its result number objects and
// the indexes from the next one.
func run(ctx context.Context, pg *pgconn.PgConn, text string, objects int, st *connState) (*Snapshot, error) {
	b := newBuilder(st.size, st.length)
	err := readResults(ctx, pg, text, func(i, columns int) (func([][]byte), error) {
		read, want := (func([][]byte))(nil), 0
		switch i {
		case objects:
			read, want = b.object, 6
		case objects + 1:
			read, want = b.index, 18
		default:
			return nil, nil
		}
		if columns != want {
			return nil, fmt.Errorf("%d columns, want %d", columns, want)
		}
		return read, nil
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot query: %w", err)
	}
	s := b.snapshot()
	st.size, st.length = s.Len(), len(b.buf)
	return s, nil
}

// readResults sends text, several statements in one message, and hands
// the rows of each result to the function that pick returns for the
// result's number and columns (nil: the rows are skipped). An error from
// pick ends the reading.
func readResults(ctx context.Context, pg *pgconn.PgConn, text string, pick func(i, columns int) (func([][]byte), error)) error {
	mrr := pg.Exec(ctx, text)
	for i := 0; mrr.NextResult(); i++ {
		rr := mrr.ResultReader()
		read, err := pick(i, len(rr.FieldDescriptions()))
		if err != nil {
			rr.Close()
			mrr.Close()
			return err
		}
		for read != nil && rr.NextRow() {
			read(rr.Values())
		}
		if _, err := rr.Close(); err != nil {
			mrr.Close()
			return err
		}
	}
	return mrr.Close()
}

// connState is what Take knows of a connection: the generation of the
// names of its prepared statements, whether they are prepared, and the
// size of the last snapshot. The record holds the connection weakly: it
// goes when the connection does.
type connState struct {
	mu    sync.Mutex
	gen   int
	ready bool
	// The last snapshot's objects and bytes, to size the next one's.
	size, length int
}

var states sync.Map // weak.Pointer[pgconn.PgConn] -> *connState

func stateOf(pg *pgconn.PgConn) *connState {
	key := weak.Make(pg)
	if st, ok := states.Load(key); ok {
		return st.(*connState)
	}
	st, loaded := states.LoadOrStore(key, &connState{})
	if !loaded {
		runtime.AddCleanup(pg, func(k weak.Pointer[pgconn.PgConn]) { states.Delete(k) }, key)
	}
	return st.(*connState)
}
