package catalog

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Snapshotter takes the snapshots of one database one after the other, and
// prints again only the objects that may have changed since the previous
// snapshot: each snapshot is the one Take would read at the same moment,
// in one round trip, for a fraction of the cost when few objects changed.
// incremental_query.go says how the changes are found.
//
// It keeps what the previous snapshot needs, and no more: the objects, and
// a few numbers per catalog row of the kinds of objects. An object that
// comes back after being dropped is made of new catalog rows, which are
// printed again anyway.
//
// A Snapshotter belongs to one connection and is not safe for concurrent
// use. Inside a transaction block it calls Take.
type Snapshotter struct {
	conn *pgx.Conn

	prepared string // the name of the statement prepared on conn, if any

	// The previous snapshot; horizon is "" when there is none.
	horizon string
	shapes  []shape
	counts  []int64            // the extensions' members, then the rows of each counted kind
	schemas []uint32           // the schemas whose name is a user's
	ext     map[[2]uint32]bool // the extensions' members: catalog, OID
	recs    map[byte]map[uint32]record
	objs    map[ident]*entry
	cols    map[uint32][]uint64 // a table's columns (their ident ids), by the table's OID
	// all is the previous snapshot's objects, which the next one is made
	// of; always the keys of the objects printed every time. dups says
	// that two objects had the same key: all is then made afresh.
	all    map[string]Object
	always []string
	dups   bool
	gen    uint32

	stats SnapshotterStats
}

// SnapshotterStats counts what a Snapshotter did.
type SnapshotterStats struct {
	// Snapshots counts the snapshots taken; Full the ones that printed
	// every object (the first, one after a schema was renamed, the
	// fallbacks); Fallbacks the second round trips taken because an
	// object appeared with no new catalog row (an extension let go of
	// it); InTransaction the snapshots handed to Take.
	Snapshots, Full, Fallbacks, InTransaction int
	// Printed counts the objects printed; Reused the ones taken from the
	// previous snapshot.
	Printed, Reused int
}

// ident identifies an object in the incremental query: the tag of its kind
// of catalog row << 48 | its OID << 16 (a column: | its number), as the
// query's candidates are. (One integer rather than a struct: the maps keyed
// by it hash it thousands of times per snapshot.)
type ident uint64

func identOf(tag byte, id uint64) ident { return ident(uint64(tag)<<48 | id) }

// entry is an object of the previous snapshot (usually one; more when
// Take's query has several rows for it), and their keys.
type entry struct {
	objs []Object
	keys []string
	gen  uint32 // the last snapshot it was in
}

// record is what the query sends of a catalog row of a counted kind, after
// its OID: the fields its membership in a snapshot depends on (see the
// query's records).
type record [4]uint32

type shape struct {
	id int64
	n  int32
}

// countedTags are the kinds whose catalog rows the query counts, in the
// order of the counts it is sent (after the extensions' members).
var countedTags = []byte{'c', 'o', 'i', 'g', 'w', 'y', 't', 'p', 's'}

// The OIDs of the catalogs whose rows extensions own (fixed since 7.x).
const (
	pgNamespace    = 2615
	pgClass        = 1259
	pgType         = 1247
	pgProc         = 1255
	pgStatisticExt = 3381
)

// NewSnapshotter returns a Snapshotter for the database conn is connected
// to.
func NewSnapshotter(conn *pgx.Conn) *Snapshotter {
	return &Snapshotter{conn: conn}
}

// Stats returns the counts so far.
func (s *Snapshotter) Stats() SnapshotterStats { return s.stats }

// Take reads the schema, as Take(ctx, conn) would.
func (s *Snapshotter) Take(ctx context.Context) (*Snapshot, error) {
	pg := s.conn.PgConn()
	if pg.TxStatus() != 'I' {
		// In a transaction block, a row the transaction changes twice
		// keeps its xmin: read it all. The horizon stays the previous
		// one, so that the next snapshot sees what the transaction
		// changed.
		s.stats.InTransaction++
		return Take(ctx, s.conn)
	}
	major := serverMajor(pg)
	if major < minVersion {
		return nil, fmt.Errorf("%w (the server is version %s)", ErrUnsupportedVersion, pg.ParameterStatus("server_version"))
	}
	st := incrementalFor(major)
	res, err := s.run(ctx, pg, st)
	if err != nil {
		return nil, err
	}
	snap, ok := s.assemble(res)
	if !ok {
		// An object of the snapshot with no new row is not one of the
		// previous snapshot's: read everything (assemble forgot the
		// previous snapshot).
		s.stats.Fallbacks++
		if res, err = s.run(ctx, pg, st); err != nil {
			return nil, err
		}
		if snap, ok = s.assemble(res); !ok {
			return nil, errors.New("read the schema: the full incremental snapshot misses objects")
		}
	}
	s.stats.Snapshots++
	if res.full {
		s.stats.Full++
	}
	return snap, nil
}

// result is what the incremental query returned.
type result struct {
	full     bool // every object was printed
	records  map[byte]recordList
	ext      [][2]uint32 // nil when unchanged
	extCount int64
	schemas  []uint32
	touched  []uint32
	columns  []uint64
	fresh    map[ident][]Object
	always   []Object
	shapes   []shape
	horizon  string
}

// recordList is one counted kind's records: all of them, or the new ones.
type recordList struct {
	all   bool
	count int64
	oids  []uint32
	recs  []record
}

// run sends the incremental query, preparing it first if needed.
func (s *Snapshotter) run(ctx context.Context, pg *pgconn.PgConn, st *incrementalStatement) (*result, error) {
	var args strings.Builder
	list := func(vs []int64) {
		args.WriteString("'{")
		for i, v := range vs {
			if i > 0 {
				args.WriteByte(',')
			}
			args.WriteString(strconv.FormatInt(v, 10))
		}
		args.WriteString("}'")
	}
	if s.horizon == "" {
		args.WriteString("(NULL, '{}', '{}', NULL, '{}')")
	} else {
		ids, ns := make([]int64, len(s.shapes)), make([]int64, len(s.shapes))
		for i, sh := range s.shapes {
			ids[i], ns[i] = sh.id, int64(sh.n)
		}
		schemas := make([]int64, len(s.schemas))
		for i, n := range s.schemas {
			schemas[i] = int64(n)
		}
		args.WriteString("('" + s.horizon + "', ")
		list(ids)
		args.WriteString(", ")
		list(ns)
		args.WriteString(", ")
		list(s.counts)
		args.WriteString(", ")
		list(schemas)
		args.WriteString(")")
	}
	for attempt := 0; ; attempt++ {
		text, at := incrementalSettings+";\nEXECUTE "+st.name+args.String(), 1
		if s.prepared != st.name {
			text = incrementalSettings + ";\nPREPARE " + st.name +
				"(pg_catalog.xid8, pg_catalog.int8[], pg_catalog.int4[], pg_catalog.int8[], pg_catalog.oid[]) AS\n" +
				st.sql + ";\nEXECUTE " + st.name + args.String()
			at = 2
		}
		res, err := readIncremental(ctx, pg, text, at)
		var pgErr *pgconn.PgError
		if attempt == 0 && errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "26000": // invalid_sql_statement_name: DEALLOCATE or DISCARD
				s.prepared = ""
				continue
			case "42P05": // duplicate_prepared_statement: prepared already
				s.prepared = st.name
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		s.prepared = st.name
		return res, nil
	}
}

// incrementalSettings are Take's settings, and three for the plan: a
// generic plan, made once, whatever the parameters; no hash tables, which
// would be allocated on every execution, for the sizes estimated when the
// plan was made; and a small work_mem, since the hash tables that remain
// (the recursive UNIONs' duplicate checks, estimated at hundreds of
// thousands of rows) are allocated and zeroed at every execution up to
// work_mem times hash_mem_multiplier: 8 MB at the default 4 MB, half the
// cost of a snapshot of a small schema. They grow when they need to. (The plan is usually made on an empty database, and
// kept while the schema grows: the query looks up the rows of a set of
// changes with "= ANY (ARRAY(...))" or LATERAL ... OFFSET 0, which leaves
// the planner no order that would read a whole catalog.)
const incrementalSettings = settings + `,
  pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true),
  pg_catalog.set_config('enable_hashagg', 'off', true),
  pg_catalog.set_config('work_mem', '256kB', true)`

// readIncremental sends text and reads the rows of its at-th statement.
func readIncremental(ctx context.Context, pg *pgconn.PgConn, text string, at int) (*result, error) {
	res := &result{records: map[byte]recordList{}, fresh: map[ident][]Object{}}
	var rowErr error
	err := readResults(ctx, pg, text, func(i, columns int) (func([][]byte), error) {
		if i != at {
			return nil, nil
		}
		if columns != 6 {
			return nil, fmt.Errorf("the incremental query returned %d columns, want 6", columns)
		}
		return func(row [][]byte) {
			if err := res.add(row); err != nil && rowErr == nil {
				rowErr = err
			}
		}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	if rowErr != nil {
		return nil, fmt.Errorf("read the schema: %w", rowErr)
	}
	if res.horizon == "" || len(res.records) != len(countedTags) {
		return nil, errors.New("read the schema: the incremental query's result is incomplete")
	}
	return res, nil
}

// add reads one row: (tag, id, kind, name, def, ids).
func (r *result) add(row [][]byte) error {
	if len(row[0]) != 1 {
		return fmt.Errorf("bad tag %q", row[0])
	}
	num := func(b []byte) (int64, error) { return strconv.ParseInt(string(b), 10, 64) }
	switch tag := row[0][0]; tag {
	case 'R': // a counted kind's records
		if len(row[2]) != 1 {
			return fmt.Errorf("bad kind %q", row[2])
		}
		raw, err := decodeBytea(row[5])
		if err != nil || len(raw)%20 != 0 {
			return fmt.Errorf("bad records of kind %s: %v", row[2], err)
		}
		l := recordList{all: string(row[4]) == "F", oids: make([]uint32, len(raw)/20), recs: make([]record, len(raw)/20)}
		if l.count, err = num(row[1]); err != nil {
			return err
		}
		for i := range l.oids {
			b := raw[i*20:]
			l.oids[i] = binary.BigEndian.Uint32(b)
			for j := range l.recs[i] {
				l.recs[i][j] = binary.BigEndian.Uint32(b[4+4*j:])
			}
		}
		r.records[row[2][0]] = l
	case 'E': // the extensions' members, when they changed
		n, err := num(row[1])
		if err != nil {
			return err
		}
		r.extCount = n
		if row[5] != nil {
			raw, err := decodeBytea(row[5])
			if err != nil || len(raw)%8 != 0 {
				return fmt.Errorf("bad extension members: %v", err)
			}
			r.ext = make([][2]uint32, 0, len(raw)/8)
			for i := 0; i < len(raw); i += 8 {
				r.ext = append(r.ext, [2]uint32{binary.BigEndian.Uint32(raw[i:]), binary.BigEndian.Uint32(raw[i+4:])})
			}
		}
	case 'N', 'T': // the user's schemas; the relations whose columns are listed
		raw, err := decodeBytea(row[5])
		if err != nil || len(raw)%4 != 0 {
			return fmt.Errorf("bad list %c: %v", tag, err)
		}
		oids := make([]uint32, len(raw)/4)
		for i := range oids {
			oids[i] = binary.BigEndian.Uint32(raw[i*4:])
		}
		if tag == 'N' {
			r.schemas = oids
		} else {
			r.touched = oids
		}
	case 'A': // the columns of those relations
		raw, err := decodeBytea(row[5])
		if err != nil || len(raw)%6 != 0 {
			return fmt.Errorf("bad columns: %v", err)
		}
		r.columns = make([]uint64, len(raw)/6)
		for i := range r.columns {
			b := raw[i*6:]
			r.columns[i] = uint64(binary.BigEndian.Uint32(b))<<16 | uint64(binary.BigEndian.Uint16(b[4:]))
		}
	case 'h':
		id, err := num(row[1])
		if err != nil {
			return err
		}
		n, err := num(row[4])
		if err != nil {
			return err
		}
		r.shapes = append(r.shapes, shape{id, int32(n)})
	case 'H':
		r.horizon = string(row[4])
		r.full = string(row[1]) == "1"
	case 'x':
		r.always = append(r.always, newObject(row[2], row[3], row[4]))
	case 'C': // the candidates: what they print is the whole of their objects
		raw, err := decodeBytea(row[5])
		if err != nil || len(raw)%8 != 0 {
			return fmt.Errorf("bad candidates: %v", err)
		}
		for i := 0; i < len(raw); i += 8 {
			v := binary.BigEndian.Uint64(raw[i:])
			k := ident(v)
			if _, ok := r.fresh[k]; !ok {
				r.fresh[k] = []Object{}
			}
		}
	default: // an object of a candidate
		id, err := strconv.ParseUint(string(row[1]), 10, 64)
		if err != nil {
			return err
		}
		k := identOf(tag, id)
		r.fresh[k] = append(r.fresh[k], newObject(row[2], row[3], row[4]))
	}
	return nil
}

// newObject makes an object of a row the way Take does.
func newObject(kind, name, def []byte) Object {
	k, ok := kinds[string(kind)]
	if !ok {
		k = string(kind)
	}
	o := Object{Kind: k, Name: string(name), Def: strings.TrimSpace(string(def))}
	if o.Def == "" {
		o.Def = "(no definition)"
	}
	return o
}

// decodeBytea decodes a bytea in hex format; NULL is empty.
func decodeBytea(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	if len(b) < 2 || b[0] != '\\' || b[1] != 'x' {
		return nil, errors.New("not a bytea in hex format")
	}
	raw := make([]byte, (len(b)-2)/2)
	_, err := hex.Decode(raw, b[2:])
	return raw, err
}

// assemble puts the snapshot together from the query's result and the
// previous snapshot. It returns false when an object that was not printed
// is not in the previous snapshot; the previous snapshot is then
// forgotten, so that the next query prints everything.
func (s *Snapshotter) assemble(res *result) (snap *Snapshot, ok bool) {
	defer func() {
		if !ok {
			s.reset()
		}
	}()
	// The records, brought up to date.
	if s.recs == nil {
		s.recs = map[byte]map[uint32]record{}
	}
	counts := make([]int64, 0, len(countedTags)+1)
	counts = append(counts, res.extCount)
	for _, tag := range countedTags {
		l := res.records[tag]
		m := s.recs[tag]
		if l.all {
			m = make(map[uint32]record, len(l.oids))
			s.recs[tag] = m
		} else if m == nil {
			return nil, false
		}
		for i, oid := range l.oids {
			m[oid] = l.recs[i]
		}
		counts = append(counts, l.count)
	}
	if res.ext != nil {
		s.ext = make(map[[2]uint32]bool, len(res.ext))
		for _, e := range res.ext {
			s.ext[e] = true
		}
	} else if s.ext == nil {
		return nil, false
	}

	// Which rows are objects of the snapshot, as Take's query decides.
	isExt := func(catalog, oid uint32) bool { return s.ext[[2]uint32{catalog, oid}] }
	userns := make(map[uint32]bool, len(res.schemas))
	for _, n := range res.schemas {
		if !isExt(pgNamespace, n) {
			userns[n] = true
		}
	}
	rels := s.recs['c']
	relkind := func(oid uint32) byte {
		if r, ok := rels[oid]; ok {
			return byte(r[1])
		}
		return 0
	}
	// A relation of the snapshot: its kind, or 0.
	listed := make(map[uint32]byte, len(rels))
	for oid, r := range rels {
		switch k := byte(r[1]); k {
		case 'r', 'p', 'S', 'v', 'm', 'f':
			if userns[r[0]] && !isExt(pgClass, oid) {
				listed[oid] = k
			}
		}
	}
	in := func(k byte, kinds string) bool { return k != 0 && strings.IndexByte(kinds, k) >= 0 }
	arrays := make(map[uint32]bool, len(s.recs['t']))
	for _, r := range s.recs['t'] {
		if r[3] != 0 {
			arrays[r[3]] = true
		}
	}
	cons := s.recs['o']
	member := map[byte]func(oid uint32, r record) bool{
		'c': func(oid uint32, r record) bool { return listed[oid] != 0 },
		'o': func(oid uint32, r record) bool {
			if k := byte(r[1]); k == 't' || k == 'n' || !in(listed[r[0]], "rpf") {
				return false
			}
			// Not the copy a partition has of its parent's constraint.
			parent, ok := cons[r[2]]
			return r[2] == 0 || !ok || parent[0] != r[0]
		},
		'i': func(oid uint32, r record) bool { return in(listed[r[0]], "rpm") },
		'g': func(oid uint32, r record) bool { return r[1] == 0 && in(listed[r[0]], "rpvf") },
		'w': func(oid uint32, r record) bool { return r[1] == 0 && listed[r[0]] != 0 },
		'y': func(oid uint32, r record) bool { return listed[r[0]] != 0 },
		't': func(oid uint32, r record) bool {
			typtype, category := byte(r[1]), byte(r[1]>>8)
			return typtype != 'm' && userns[r[0]] && !isExt(pgType, oid) &&
				(r[2] == 0 || relkind(r[2]) == 'c') && !(category == 'A' && arrays[oid])
		},
		'p': func(oid uint32, r record) bool {
			// Not a range type's constructor.
			return userns[r[0]] && !isExt(pgProc, oid) && r[1]>>8 == 0
		},
		's': func(oid uint32, r record) bool { return userns[r[0]] && !isExt(pgStatisticExt, oid) },
	}

	// The objects: the printed ones, and the previous snapshot's others,
	// patched into the previous snapshot's map.
	if s.objs == nil {
		s.objs, s.all = map[ident]*entry{}, map[string]Object{}
	}
	s.gen++
	printed, reused := 0, 0
	take := func(k ident) bool {
		e := s.objs[k]
		if objs, ok := res.fresh[k]; ok {
			printed++
			if e == nil {
				e = &entry{}
				s.objs[k] = e
			} else {
				s.remove(e)
			}
			e.objs, e.keys = objs, make([]string, len(objs))
			for i, o := range objs {
				e.keys[i] = o.Key()
				s.insert(e.keys[i], o)
			}
		} else if e != nil {
			reused++
		} else {
			return false
		}
		e.gen = s.gen
		return true
	}
	for _, n := range res.schemas {
		if userns[n] && !take(identOf('n', uint64(n)<<16)) {
			return nil, false
		}
	}
	for _, tag := range countedTags {
		isMember := member[tag]
		for oid, r := range s.recs[tag] {
			if isMember(oid, r) && !take(identOf(tag, uint64(oid)<<16)) {
				return nil, false
			}
		}
	}
	// Columns: the listed ones of the touched relations, the previous
	// snapshot's of the other tables.
	touched := make(map[uint32]bool, len(res.touched))
	for _, oid := range res.touched {
		touched[oid] = true
	}
	cols := make(map[uint32][]uint64, len(s.cols)+len(touched))
	for _, id := range res.columns {
		rel := uint32(id >> 16)
		cols[rel] = append(cols[rel], id)
	}
	for oid, k := range listed {
		if !in(k, "rpf") {
			delete(cols, oid)
			continue
		}
		if touched[oid] {
			cols[oid] = cols[oid] // a table with no columns has its entry too
			continue
		}
		prev, ok := s.cols[oid]
		if !ok {
			return nil, false
		}
		cols[oid] = prev
	}
	for rel, ids := range cols {
		if !in(listed[rel], "rpf") {
			delete(cols, rel)
			continue
		}
		for _, id := range ids {
			if !take(identOf('a', id)) {
				return nil, false
			}
		}
	}
	// The objects that are gone, and the ones printed every time.
	for k, e := range s.objs {
		if e.gen != s.gen {
			s.remove(e)
			delete(s.objs, k)
		}
	}
	for _, key := range s.always {
		if !s.dups {
			delete(s.all, key)
		}
	}
	s.always = s.always[:0]
	for _, o := range res.always {
		key := o.Key()
		s.always = append(s.always, key)
		s.insert(key, o)
	}
	if s.dups {
		// Two objects under one key: made afresh, as Take makes them.
		s.all = make(map[string]Object, len(s.all))
		for _, e := range s.objs {
			for _, o := range e.objs {
				addObject(s.all, o)
			}
		}
		n := len(res.always)
		for _, o := range res.always {
			addObject(s.all, o)
		}
		for _, e := range s.objs {
			n += len(e.objs)
		}
		s.dups = len(s.all) != n
	}

	s.horizon, s.shapes, s.counts, s.schemas, s.cols = res.horizon, res.shapes, counts, res.schemas, cols
	s.stats.Printed += printed
	s.stats.Reused += reused
	return &Snapshot{objects: maps.Clone(s.all)}, true
}

// remove takes an entry's objects out of the snapshot's map.
func (s *Snapshotter) remove(e *entry) {
	if s.dups {
		return // all is made afresh
	}
	for _, key := range e.keys {
		delete(s.all, key)
	}
}

// insert puts an object in the snapshot's map, unless another has the same
// key: then the map is to be made afresh.
func (s *Snapshotter) insert(key string, o Object) {
	if s.dups {
		return
	}
	if _, dup := s.all[key]; dup {
		s.dups = true
		return
	}
	s.all[key] = o
}

// reset forgets the previous snapshot: the next query prints everything.
func (s *Snapshotter) reset() {
	s.horizon, s.shapes, s.counts, s.schemas = "", nil, nil, nil
	s.ext, s.recs, s.objs, s.cols = nil, nil, nil, nil
	s.all, s.always, s.dups = nil, nil, false
}

// addObject adds o to a snapshot's objects as Take does: two objects under
// one key keep both definitions, sorted.
func addObject(m map[string]Object, o Object) {
	key := o.Key()
	if prev, dup := m[key]; dup {
		defs := []string{prev.Def, o.Def}
		sort.Strings(defs)
		o.Def = strings.Join(defs, "\n")
	}
	m[key] = o
}
