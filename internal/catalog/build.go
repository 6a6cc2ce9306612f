package catalog

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// builder turns the rows of the snapshot queries into a Snapshot.
//
// The objects query names an object that belongs to a relation (a column,
// a constraint, a trigger...) by its own name and the relation's OID; the
// builder prefixes the relation's name, which the relation's own row gave.
// The indexes query sends the parts of each definition; the builder puts
// them together with the names of the table's columns.
//
// A snapshot of a large schema has thousands of objects, and Take runs
// three times per migration: rather than a string or two per object, the
// builder copies everything into one buffer, views it as one string, and
// slices every key, name and definition out of that string.
type builder struct {
	buf     []byte
	objs    []objRef
	owned   []ownedRef
	rels    map[uint32]span // relation OID -> its name in buf
	attrs   map[attrKey]attrRef
	indexes []indexRow
	// indexKeys are the indexes' relations and keys, after finish
	// (Logged).
	indexKeys []indexKey
}

type indexKey struct {
	rel uint32
	key span
}

// span is a range of builder.buf.
type span struct{ from, to int }

// objRef is an object whose key ("kind name") and definition are in buf.
type objRef struct {
	kind     string
	key, def span
	owner    owner // Logged's rows only
}

// ownedRef is an object named within a relation: its key is the kind, the
// relation's name and its own name.
type ownedRef struct {
	kind      string
	rel       uint32
	name, def span
}

// owner is what Logged reprints an object with: the relation a column, a
// constraint, an index... belongs to, or the type, function, statistics
// object or collation itself, as kind << 32 | OID; ownerAlways for the
// objects printed every time (schemas, extensions, servers, event
// triggers).
type owner uint64

const ownerAlways = owner('A') << 32

func ownerOf(kind byte, oid uint32) owner { return owner(kind)<<32 | owner(oid) }

func (o owner) kind() byte  { return byte(o >> 32) }
func (o owner) oid() uint32 { return uint32(o) }

type attrKey struct {
	rel uint32
	num int16
}

type attrRef struct {
	name      span
	collation uint32
}

// newBuilder makes a builder for about size objects of about length
// bytes, all told.
func newBuilder(size, length int) *builder {
	size = max(size, 64)
	return &builder{
		buf:   make([]byte, 0, max(length+length/8, size*160)),
		objs:  make([]objRef, 0, size+size/8),
		owned: make([]ownedRef, 0, size),
		rels:  make(map[uint32]span, size/8),
		attrs: make(map[attrKey]attrRef, size/2),
	}
}

// kinds interns the kind strings so that rows do not allocate them.
var kinds = func() map[string]string {
	m := make(map[string]string, len(kindOrder))
	for _, k := range kindOrder {
		m[k] = k
	}
	return m
}()

var relationKinds = map[string]bool{
	"table": true, "foreign table": true, "view": true, "materialized view": true, "sequence": true,
}

func (b *builder) put(v []byte) span {
	from := len(b.buf)
	b.buf = append(b.buf, v...)
	return span{from, len(b.buf)}
}

// object reads a row of the objects query: kind, name, def, relid,
// attnum, collation.
func (b *builder) object(row [][]byte) {
	kind, ok := kinds[string(row[0])]
	if !ok {
		kind = string(row[0])
	}
	if row[3] != nil && !relationKinds[kind] {
		o := ownedRef{kind: kind, rel: parseOID(row[3]), name: b.put(row[1]), def: b.put(bytes.TrimSpace(row[2]))}
		if kind == "column" {
			num, _ := strconv.ParseInt(string(row[4]), 10, 16)
			b.attrs[attrKey{o.rel, int16(num)}] = attrRef{name: o.name, collation: parseOID(row[5])}
		}
		b.owned = append(b.owned, o)
		return
	}
	from := len(b.buf)
	b.buf = append(b.buf, kind...)
	b.buf = append(b.buf, ' ')
	name := b.put(row[1])
	o := objRef{kind: kind, key: span{from, name.to}, def: b.put(bytes.TrimSpace(row[2]))}
	if row[3] != nil {
		rel := parseOID(row[3])
		b.rels[rel] = name
		o.owner = ownerOf('r', rel)
	} else if len(row) > 6 && len(row[6]) > 0 {
		// Logged's owner column: a kind letter and an OID ("y16403"),
		// or "A".
		o.owner = ownerOf(row[6][0], parseOID(row[6][1:]))
	}
	b.objs = append(b.objs, o)
}

func parseOID(v []byte) uint32 {
	n, _ := strconv.ParseUint(string(v), 10, 32)
	return uint32(n)
}

// indexRow is a row of the indexes query, its text copied into buf.
type indexRow struct {
	rel                             uint32
	unique, partitioned, valid, nnd bool
	name, relname, am               span
	nkey                            int
	keys, colls, orders             span // int2vector, oidvector, int2vector
	collNames, opclasses, exprs     []span
	options, predicate, def         span
	hasOptions, hasPredicate        bool
}

func (b *builder) index(row [][]byte) {
	nkey, _ := strconv.Atoi(string(row[8]))
	b.indexes = append(b.indexes, indexRow{
		name: b.put(row[0]), relname: b.put(row[1]), rel: parseOID(row[2]),
		unique: isTrue(row[3]), partitioned: string(row[4]) == "I", valid: isTrue(row[5]), nnd: isTrue(row[6]),
		am: b.put(row[7]), nkey: nkey, keys: b.put(row[9]), colls: b.put(row[10]), orders: b.put(row[11]),
		collNames: b.putArray(row[12]), opclasses: b.putArray(row[13]), exprs: b.putArray(row[14]),
		options: b.put(row[15]), hasOptions: row[15] != nil,
		predicate: b.put(row[16]), hasPredicate: row[16] != nil,
		def: b.put(row[17]),
	})
}

// ints reads an int2vector or oidvector, numbers separated by spaces,
// into dst.
func ints(dst []int64, v []byte) []int64 {
	dst = dst[:0]
	for len(v) > 0 {
		i := bytes.IndexByte(v, ' ')
		if i < 0 {
			i = len(v)
		}
		if i > 0 {
			n, _ := strconv.ParseInt(string(v[:i]), 10, 64)
			dst = append(dst, n)
		}
		v = v[min(i+1, len(v)):]
	}
	return dst
}

// isTrue reads a boolean: t, or true when Logged's printers cast it to
// text.
func isTrue(v []byte) bool { return len(v) > 0 && v[0] == 't' }

func (b *builder) snapshot() *Snapshot {
	all := b.finish()
	objects := make(map[string]Object, len(b.objs))
	for _, r := range b.objs {
		key, o := r.object(all)
		if prev, dup := objects[key]; dup {
			o = merged(prev, o)
		}
		objects[key] = o
	}
	return &Snapshot{objects: objects}
}

// object is the object r refers to in all (finish's string), and its key.
func (r *objRef) object(all string) (string, Object) {
	key := all[r.key.from:r.key.to]
	o := Object{Kind: r.kind, Name: key[len(r.kind)+1:], Def: all[r.def.from:r.def.to]}
	if o.Def == "" {
		o.Def = "(no definition)"
	}
	return key, o
}

// merged is o with the definition of prev, an object of the same key:
// not expected (names are unique per kind), but if the catalogs ever hold
// two, both definitions are kept, in an order that does not depend on the
// order the rows came in.
func merged(prev, o Object) Object {
	defs := []string{prev.Def, o.Def}
	sort.Strings(defs)
	o.Def = strings.Join(defs, "\n")
	return o
}

// finish adds the objects named within a relation and the indexes to
// b.objs, and returns buf as one string, which the spans slice.
func (b *builder) finish() string {
	// Keys of the objects named within a relation.
	for _, o := range b.owned {
		from := len(b.buf)
		b.buf = append(b.buf, o.kind...)
		b.buf = append(b.buf, ' ')
		if rel, ok := b.rels[o.rel]; ok {
			b.buf = append(b.buf, b.buf[rel.from:rel.to]...)
		} else {
			b.buf = append(b.buf, "(relation "+strconv.FormatUint(uint64(o.rel), 10)+")"...)
		}
		b.buf = append(b.buf, '.')
		b.buf = append(b.buf, b.buf[o.name.from:o.name.to]...)
		b.objs = append(b.objs, objRef{kind: o.kind, key: span{from, len(b.buf)}, def: o.def, owner: ownerOf('r', o.rel)})
	}
	for i := range b.indexes {
		r := &b.indexes[i]
		from := len(b.buf)
		b.buf = append(b.buf, "index "...)
		b.buf = append(b.buf, b.bytes(r.name)...)
		key := span{from, len(b.buf)}
		def := r.def
		if def.from == def.to {
			def = b.indexDef(r)
		}
		b.objs = append(b.objs, objRef{kind: "index", key: key, def: def, owner: ownerOf('r', r.rel)})
		b.indexKeys = append(b.indexKeys, indexKey{rel: r.rel, key: key})
	}
	// buf is not written again: the string shares its memory, as
	// strings.Builder does.
	return unsafe.String(unsafe.SliceData(b.buf), len(b.buf))
}

// bytes is the content of a span of buf.
func (b *builder) bytes(s span) []byte { return b.buf[s.from:s.to] }

// indexDef puts an index's definition together in buf as pg_get_indexdef
// prints it (TestIndexDefMatchesServer holds the two together).
func (b *builder) indexDef(r *indexRow) span {
	from := len(b.buf)
	w := func(s string) { b.buf = append(b.buf, s...) }
	wb := func(s span) { b.buf = append(b.buf, b.bytes(s)...) }
	w("CREATE ")
	if r.unique {
		w("UNIQUE ")
	}
	w("INDEX ")
	wb(r.relname)
	w(" ON ")
	if r.partitioned {
		w("ONLY ")
	}
	if rel, ok := b.rels[r.rel]; ok {
		wb(rel)
	} else {
		w("(relation " + strconv.FormatUint(uint64(r.rel), 10) + ")")
	}
	w(" USING ")
	wb(r.am)
	w(" (")
	var k1, k2, k3 [8]int64
	keys, colls, orders := ints(k1[:0], b.bytes(r.keys)), ints(k2[:0], b.bytes(r.colls)), ints(k3[:0], b.bytes(r.orders))
	expr := 0
	for k, num := range keys {
		switch {
		case k == r.nkey:
			w(") INCLUDE (")
		case k > 0:
			w(", ")
		}
		// The collation a key column has unless told otherwise: the
		// column's. For an expression it is the expression's, which SQL
		// cannot see; the default collation stands in for it.
		natural := int64(defaultCollation)
		if num == 0 {
			if expr < len(r.exprs) {
				wb(r.exprs[expr])
			}
			expr++
		} else if a, ok := b.attrs[attrKey{r.rel, int16(num)}]; ok {
			wb(a.name)
			natural = int64(a.collation)
		} else {
			w("(column " + strconv.FormatInt(num, 10) + ")")
		}
		if k >= r.nkey {
			continue
		}
		if k < len(colls) && colls[k] != 0 && colls[k] != natural {
			w(" COLLATE ")
			switch {
			case colls[k] == defaultCollation:
				w(`"default"`)
			case k < len(r.collNames):
				wb(r.collNames[k])
			}
		}
		if k < len(r.opclasses) {
			wb(r.opclasses[k])
		}
		if k < len(orders) {
			// INDOPTION_DESC and INDOPTION_NULLS_FIRST; only ordered
			// access methods (btree) set them.
			switch desc, nullsFirst := orders[k]&1 != 0, orders[k]&2 != 0; {
			case desc && nullsFirst:
				w(" DESC")
			case desc:
				w(" DESC NULLS LAST")
			case nullsFirst:
				w(" NULLS FIRST")
			}
		}
	}
	w(")")
	if r.nnd {
		w(" NULLS NOT DISTINCT")
	}
	if r.hasOptions {
		w(" WITH (")
		wb(r.options)
		w(")")
	}
	if r.hasPredicate {
		w(" WHERE ")
		wb(r.predicate)
	}
	if !r.valid {
		w(" INVALID")
	}
	return span{from, len(b.buf)}
}

// defaultCollation is the OID of the collation "default".
const defaultCollation = 100

// putArray copies the elements of a one-dimensional text[] in
// PostgreSQL's text format, {a,"b c",""}, whose elements are never NULL,
// into buf. A NULL array is nil.
func (b *builder) putArray(v []byte) []span {
	if v == nil {
		return nil
	}
	if len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
		return []span{b.put(v)}
	}
	v = v[1 : len(v)-1]
	out := []span{}
	for i := 0; i < len(v); {
		from := len(b.buf)
		if v[i] == '"' {
			i++
			for i < len(v) && v[i] != '"' {
				if v[i] == '\\' && i+1 < len(v) {
					i++
				}
				b.buf = append(b.buf, v[i])
				i++
			}
			i++ // the closing quote
		} else {
			for i < len(v) && v[i] != ',' {
				b.buf = append(b.buf, v[i])
				i++
			}
		}
		out = append(out, span{from, len(b.buf)})
		i++ // the comma
	}
	return out
}
