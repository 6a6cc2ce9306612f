package models

import (
	"path"
	"sort"
	"strings"

	"github.com/schemagate/schemagate/internal/catalog"
)

// Drift is one object that differs between the schema the migrations build
// and the schema the models describe.
type Drift struct {
	// Kind is the object's kind in the user's terms: "table", "column",
	// "foreign key", "index"...
	Kind string
	// Name is the object as people name it: users.nickname for a column,
	// ix_users_email for an index (the public schema left out).
	Name string
	// Object is the catalog's kind and qualified name of the object, and
	// Table the qualified name of the relation it belongs to ("" for one
	// that does not), to find where the models define it.
	CatalogKind, Object, Table string
	// Columns are the table's columns a constraint or an index is on,
	// where the models may define it (unique=True, index=True).
	Columns []string
	// Near is a column (qualified) whose definition says where the models
	// define the object: the column a sequence belongs to, the first
	// column of an enum's type.
	Near string
	// Migrations and Models are the object's definitions on each side, ""
	// where it is missing.
	Migrations, Models string
	// Message says how the object differs, in the user's terms.
	Message string
	// SQL is the statement a new migration would run to give the
	// migrations the models' schema; Alembic the same as op. calls.
	SQL, Alembic string
}

// Renamed is an object that both sides define the same way under names
// that differ, such as a constraint named by PostgreSQL on one side and by
// a naming convention on the other: not drift, but worth a note.
type Renamed struct {
	Kind, Table        string
	Migrations, Models string
}

// ShortTable is the table the object is on, without the public schema.
func (r Renamed) ShortTable() string {
	if r.Table == "" {
		return ""
	}
	return short(r.Table)
}

// MigrationsName is the object's name in the migrations, unquoted.
func (r Renamed) MigrationsName() string { return unquote(r.Migrations) }

// ModelsName is the object's name in the models, unquoted.
func (r Renamed) ModelsName() string { return unquote(r.Models) }

func (r Renamed) String() string {
	on := ""
	if r.Table != "" {
		on = " on " + short(r.Table)
	}
	return r.Kind + " " + unquote(r.Migrations) + on + " is named " + unquote(r.Models) + " in the models (same definition)"
}

// Result is what Compare found.
type Result struct {
	Drifts  []Drift
	Renamed []Renamed
	// Unmodeled counts, by kind, the objects of the migrations that the
	// models cannot describe (Options.ORM).
	Unmodeled map[string]int
}

// ToolTables are the tables that migration tools keep their own state in:
// never compared, with their columns, constraints, indexes and sequences.
var ToolTables = []string{
	"alembic_version",            // Alembic
	"schema_migrations",          // golang-migrate, dbmate, Rails
	"goose_db_version",           // goose
	"__diesel_schema_migrations", // Diesel
	"flyway_schema_history",      // Flyway
	"schema_version",             // Flyway before 5
	"gorp_migrations",            // sql-migrate
	"seaql_migrations",           // SeaORM
	"django_migrations",          // Django
	"_prisma_migrations",         // Prisma
	"knex_migrations",            // Knex
	"knex_migrations_lock",
	"SequelizeMeta",               // Sequelize
	"ar_internal_metadata",        // Rails
	"atlas_schema_revisions",      // Atlas
	"pgmigrations",                // node-pg-migrate
	"__EFMigrationsHistory",       // Entity Framework
	"databasechangelog",           // Liquibase
	"databasechangeloglock",       // Liquibase
	"refinery_schema_history",     // Refinery
	"_sqlx_migrations",            // sqlx
	"typeorm_metadata",            // TypeORM
	"mikro_orm_migrations",        // MikroORM
	"doctrine_migration_versions", // Doctrine
}

// Options tune Compare.
type Options struct {
	// Ignore are patterns of objects to leave out (the config's
	// models.ignore): a table, view, sequence, type... matches by its
	// name with or without its schema ("audit_log", "app.audit_*"); a
	// column, constraint or index by its table's name or by
	// table.name ("users.legacy_*"); "reporting.*" leaves out the whole
	// schema reporting. Patterns are path.Match globs.
	Ignore []string
	// ORM says the models are an ORM's (SQLAlchemy), which describe
	// tables, their columns, constraints and indexes, sequences, enums and
	// schemas, but not views, functions, triggers, policies, extensions...:
	// those the migrations create are not missing from the models, and
	// are counted in Result.Unmodeled instead.
	ORM bool
}

// ormKinds are the kinds of object an ORM's models describe.
var ormKinds = map[string]bool{
	"schema": true, "table": true, "column": true, "constraint": true, "index": true, "sequence": true, "enum": true,
}

// Compare lists the objects that differ between migrated, the schema after
// the last migration, and models, the schema the models describe.
func Compare(migrated, models *catalog.Snapshot, opts Options) *Result {
	c := &comparer{
		opts:   opts,
		a:      sideOf(migrated, opts),
		b:      sideOf(models, opts),
		res:    &Result{},
		folded: map[string]bool{},
	}
	c.compare()
	return c.res
}

// side is one snapshot, arranged for the comparison.
type side struct {
	// top holds the objects that do not belong to a relation, by key
	// (sequences apart).
	top map[string]catalog.Object
	// seqs are the sequences, by qualified name.
	seqs map[string]catalog.Object
	// rels holds what belongs to each relation, by its qualified name.
	rels map[string]*relation
}

type relation struct {
	columns, constraints, indexes map[string]catalog.Object // by own name
	others                        map[string]catalog.Object // triggers, policies, rules: by key
	index                         map[string]index          // parsed indexes, by own name
	cons                          map[string]constraint     // parsed constraints, by own name
}

func (s *side) rel(name string) *relation {
	r := s.rels[name]
	if r == nil {
		r = &relation{
			columns: map[string]catalog.Object{}, constraints: map[string]catalog.Object{},
			indexes: map[string]catalog.Object{}, others: map[string]catalog.Object{},
			index: map[string]index{}, cons: map[string]constraint{},
		}
		s.rels[name] = r
	}
	return r
}

var relationKinds = map[string]bool{"table": true, "foreign table": true, "view": true, "materialized view": true}

func sideOf(snap *catalog.Snapshot, opts Options) *side {
	s := &side{top: map[string]catalog.Object{}, seqs: map[string]catalog.Object{}, rels: map[string]*relation{}}
	if snap == nil {
		return s
	}
	for key, o := range snap.Objects() {
		switch o.Kind {
		case "column", "constraint", "trigger", "policy", "rule":
			rel, own := owner(o.Name)
			if ignored(opts, rel, own) {
				continue
			}
			r := s.rel(rel)
			switch o.Kind {
			case "column":
				r.columns[own] = sameNow(o)
			case "constraint":
				r.constraints[own] = o
				r.cons[own] = parseConstraint(o.Def)
			default:
				r.others[key] = o
			}
		case "index":
			x := parseIndex(o.Def)
			_, own := owner(o.Name)
			if ignored(opts, x.Table, own) {
				continue
			}
			r := s.rel(x.Table)
			r.indexes[own] = o
			r.index[own] = x
		case "sequence":
			col, _ := sequenceOwner(o.Def)
			if col != "" {
				if rel, _ := owner(col); ignored(opts, rel, "") {
					continue
				}
			}
			if ignored(opts, o.Name, "") {
				continue
			}
			s.seqs[o.Name] = o
		default:
			if o.Kind == "schema" && schemaIgnored(opts, o.Name) || o.Kind != "schema" && ignored(opts, topName(o), "") {
				continue
			}
			s.top[key] = o
		}
	}
	return s
}

// nows are the defaults that all mean the transaction's start time, which
// PostgreSQL prints as written: an ORM writes now(), a migration
// CURRENT_TIMESTAMP.
var nows = map[string]bool{"CURRENT_TIMESTAMP": true, "transaction_timestamp()": true}

// sameNow gives a column defaulting to one of nows the default now().
func sameNow(o catalog.Object) catalog.Object {
	if !strings.Contains(o.Def, "DEFAULT ") {
		return o
	}
	if c := parseColumn(o.Def); nows[c.Default] {
		c.Default = "now()"
		o.Def = c.String()
	}
	return o
}

// topName is the qualified name of a top-level object without a function's
// arguments.
func topName(o catalog.Object) string {
	if i := strings.IndexByte(o.Name, '('); i >= 0 && (o.Kind == "function" || o.Kind == "procedure" || o.Kind == "aggregate") {
		return o.Name[:i]
	}
	return o.Name
}

// ignored says whether the object own of the relation or top-level object
// rel (qualified) is left out: a tool's table, or a pattern of the config.
func ignored(opts Options, rel, own string) bool {
	parts := splitName(rel)
	for i := range parts {
		parts[i] = unquote(parts[i])
	}
	name := parts[len(parts)-1]
	for _, t := range ToolTables {
		if name == t {
			return true
		}
	}
	if len(opts.Ignore) == 0 {
		return false
	}
	candidates := []string{name, strings.Join(parts, ".")}
	if own != "" {
		own = unquote(own)
		candidates = append(candidates, name+"."+own, strings.Join(parts, ".")+"."+own)
	}
	for _, p := range opts.Ignore {
		for _, c := range candidates {
			if ok, _ := path.Match(p, c); ok {
				return true
			}
		}
	}
	return false
}

func schemaIgnored(opts Options, name string) bool {
	name = unquote(name)
	for _, p := range opts.Ignore {
		if p == name || p == name+".*" {
			return true
		}
	}
	return false
}

type comparer struct {
	opts Options
	a, b *side // migrations, models
	res  *Result
	// folded holds the qualified names of the columns already reported
	// (or whose table is): their sequences' differences are part of them.
	folded map[string]bool
}

func (c *comparer) compare() {
	for _, key := range unionKeys(c.a.top, c.b.top) {
		oa, ina := c.a.top[key]
		ob, inb := c.b.top[key]
		o := oa
		if !ina {
			o = ob
		}
		switch {
		case !ina || !inb:
			c.missing(o, ina)
			if relationKinds[o.Kind] {
				c.foldRelation(o.Name)
			}
		case oa.Def != ob.Def:
			c.differs(oa, ob)
		}
		if ina && inb && relationKinds[o.Kind] {
			c.relation(o.Name)
		}
	}
	// Last, as a sequence owned by a column already reported is part of
	// that finding.
	c.sequences()
	sort.SliceStable(c.res.Drifts, func(i, j int) bool { return driftLess(c.res.Drifts[i], c.res.Drifts[j]) })
	sort.Slice(c.res.Renamed, func(i, j int) bool { return c.res.Renamed[i].String() < c.res.Renamed[j].String() })
}

// foldRelation marks every column of a relation one side lacks: the
// relation's own finding covers them and their sequences.
func (c *comparer) foldRelation(rel string) {
	for _, s := range []*side{c.a, c.b} {
		if r := s.rels[rel]; r != nil {
			for own := range r.columns {
				c.folded[rel+"."+own] = true
			}
		}
	}
}

// relation compares what belongs to a relation both sides have.
func (c *comparer) relation(name string) {
	ra, rb := c.a.rel(name), c.b.rel(name)
	for _, own := range unionKeys(ra.columns, rb.columns) {
		oa, ina := ra.columns[own]
		ob, inb := rb.columns[own]
		switch {
		case !ina || !inb:
			o := oa
			if !ina {
				o = ob
			}
			c.missing(o, ina)
		case oa.Def != ob.Def:
			c.differs(oa, ob)
		default:
			continue
		}
		c.folded[name+"."+own] = true
	}
	c.constraintsAndIndexes(name, ra, rb)
	for _, key := range unionKeys(ra.others, rb.others) {
		oa, ina := ra.others[key]
		ob, inb := rb.others[key]
		switch {
		case !ina:
			c.missing(ob, false)
		case !inb:
			c.missing(oa, true)
		case oa.Def != ob.Def:
			c.differs(oa, ob)
		}
	}
}

// constraintsAndIndexes compares a relation's constraints, then its
// indexes. A constraint that both sides define alike under other names
// is renamed, not drift; so is an index. The index PostgreSQL builds for a
// primary key, unique or exclusion constraint goes with its constraint: it
// is compared on its own only when the constraint is the same on both
// sides. A unique constraint on one side and a unique index on the same
// columns on the other are one finding.
func (c *comparer) constraintsAndIndexes(rel string, ra, rb *relation) {
	same := map[string]bool{} // constraints equal on both sides
	var onlyA, onlyB []string
	for _, own := range unionKeys(ra.constraints, rb.constraints) {
		oa, ina := ra.constraints[own]
		ob, inb := rb.constraints[own]
		switch {
		case !ina:
			onlyB = append(onlyB, own)
		case !inb:
			onlyA = append(onlyA, own)
		case oa.Def != ob.Def:
			c.differs(oa, ob)
		default:
			same[own] = true
		}
	}
	onlyA, onlyB = c.pairRenamed(rel, onlyA, onlyB,
		func(own string) string { return ra.constraints[own].Def },
		func(own string) string { return rb.constraints[own].Def },
		func(own string) string { return ra.cons[own].kind() })
	// What is left may still be one constraint on each side, named
	// otherwise and defined otherwise: one difference, not two.
	onlyA, onlyB = pair(onlyA, onlyB,
		func(own string) string { return ra.cons[own].key() },
		func(own string) string { return rb.cons[own].key() },
		func(a, b string) { c.differsRenamed(ra.constraints[a], rb.constraints[b]) })

	// Indexes, without the ones behind constraints unless the constraint
	// is the same on both sides.
	behind := func(r *relation, own string) bool {
		con, ok := r.cons[own]
		return ok && con.hasIndex() && !same[own]
	}
	var xa, xb []string
	for _, own := range unionKeys(ra.indexes, rb.indexes) {
		oa, ina := ra.indexes[own]
		ob, inb := rb.indexes[own]
		ina = ina && !behind(ra, own)
		inb = inb && !behind(rb, own)
		switch {
		case ina && inb:
			if oa.Def != ob.Def {
				c.differs(oa, ob)
			}
		case ina:
			xa = append(xa, own)
		case inb:
			xb = append(xb, own)
		}
	}
	xa, xb = c.pairRenamed(rel, xa, xb,
		func(own string) string { return ra.index[own].Anonymous },
		func(own string) string { return rb.index[own].Anonymous },
		func(string) string { return "index" })

	// A constraint on one side, the same unique index on the other.
	onlyA, xb = c.constraintAsIndex(ra, rb, onlyA, xb, true)
	onlyB, xa = c.constraintAsIndex(rb, ra, onlyB, xa, false)
	xa, xb = pair(xa, xb,
		func(own string) string { return ra.index[own].key() },
		func(own string) string { return rb.index[own].key() },
		func(a, b string) { c.differsRenamed(ra.indexes[a], rb.indexes[b]) })
	for _, own := range onlyA {
		c.missing(ra.constraints[own], true)
	}
	for _, own := range onlyB {
		c.missing(rb.constraints[own], false)
	}
	for _, own := range xa {
		c.missing(ra.indexes[own], true)
	}
	for _, own := range xb {
		c.missing(rb.indexes[own], false)
	}
}

// pairRenamed takes out of onlyA and onlyB the objects whose definitions
// (by defA, defB) are the same, noting them as renamed.
func (c *comparer) pairRenamed(rel string, onlyA, onlyB []string, defA, defB, kind func(string) string) ([]string, []string) {
	return pair(onlyA, onlyB, defA, defB, func(a, b string) {
		c.res.Renamed = append(c.res.Renamed, Renamed{Kind: kind(a), Table: rel, Migrations: a, Models: b})
	})
}

// pair takes out of onlyA and onlyB the objects with the same key (by
// keyA, keyB; "" pairs nothing), each at most once and in order, and calls
// matched for each pair.
func pair(onlyA, onlyB []string, keyA, keyB func(string) string, matched func(a, b string)) ([]string, []string) {
	if len(onlyA) == 0 || len(onlyB) == 0 {
		return onlyA, onlyB
	}
	byKey := map[string][]string{}
	for _, own := range onlyB {
		if k := keyB(own); k != "" {
			byKey[k] = append(byKey[k], own)
		}
	}
	taken := map[string]bool{}
	var restA []string
	for _, own := range onlyA {
		k := keyA(own)
		if cands := byKey[k]; k != "" && len(cands) > 0 {
			byKey[k] = cands[1:]
			taken[cands[0]] = true
			matched(own, cands[0])
			continue
		}
		restA = append(restA, own)
	}
	var restB []string
	for _, own := range onlyB {
		if !taken[own] {
			restB = append(restB, own)
		}
	}
	return restA, restB
}

// constraintAsIndex finds, for each constraint of cons (on side from) that
// the other side lacks, an index of idx (on side to) that is the
// constraint's index under another name: the constraint is reported once,
// saying so, and the index is not.
func (c *comparer) constraintAsIndex(from, to *relation, cons, idx []string, fromMigrations bool) ([]string, []string) {
	if len(cons) == 0 || len(idx) == 0 {
		return cons, idx
	}
	var restCons []string
	for _, own := range cons {
		x, ok := from.index[own]
		match := -1
		if ok && from.cons[own].hasIndex() {
			for i, other := range idx {
				if to.index[other].Anonymous == x.Anonymous {
					match = i
					break
				}
			}
		}
		if match < 0 {
			restCons = append(restCons, own)
			continue
		}
		other := idx[match]
		idx = append(idx[:match:match], idx[match+1:]...)
		d := c.missingDrift(from.constraints[own], fromMigrations)
		if fromMigrations {
			d.Message += "; the models have index " + unquote(other) + " instead (" + to.index[other].describe() + ")"
		} else {
			d.Message += "; the migrations create index " + unquote(other) + " instead (" + to.index[other].describe() + ")"
		}
		if !fromMigrations {
			// The fix replaces the index with the constraint.
			d.SQL = "ALTER TABLE " + display(from.index[own].Table) + " ADD CONSTRAINT " + own + " UNIQUE USING INDEX " + other
			d.Alembic = opExecute(d.SQL)
		}
		c.res.Drifts = append(c.res.Drifts, d)
	}
	return restCons, idx
}

// sequences compares the sequences: by name, then an owned sequence by its
// owner column and definition (a serial column's sequence named otherwise).
// A sequence of a column already reported is part of that finding.
func (c *comparer) sequences() {
	var onlyA, onlyB []string
	for _, name := range unionKeys(c.a.seqs, c.b.seqs) {
		oa, ina := c.a.seqs[name]
		ob, inb := c.b.seqs[name]
		o := oa
		if !ina {
			o = ob
		}
		if col, _ := sequenceOwner(o.Def); col != "" && c.folded[col] {
			continue
		}
		switch {
		case !ina:
			onlyB = append(onlyB, name)
		case !inb:
			onlyA = append(onlyA, name)
		case oa.Def != ob.Def:
			c.differs(oa, ob)
		}
	}
	ownedDef := func(s map[string]catalog.Object) func(string) string {
		return func(name string) string {
			col, anon := sequenceOwner(s[name].Def)
			if col == "" {
				return "\x00" + name // only owned sequences are matched by definition
			}
			return col + " " + anon
		}
	}
	onlyA, onlyB = c.pairRenamed("", onlyA, onlyB, ownedDef(c.a.seqs), ownedDef(c.b.seqs), func(string) string { return "sequence" })
	for _, name := range onlyA {
		c.missing(c.a.seqs[name], true)
	}
	for _, name := range onlyB {
		c.missing(c.b.seqs[name], false)
	}
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b)/8)
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// driftLess orders drifts by relation, then containers before contents.
func driftLess(x, y Drift) bool {
	kx, ky := x.Table, y.Table
	if kx == "" {
		kx = x.Object
	}
	if ky == "" {
		ky = y.Object
	}
	if kx != ky {
		return kx < ky
	}
	if rx, ry := driftRank[x.CatalogKind], driftRank[y.CatalogKind]; rx != ry {
		return rx < ry
	}
	return x.Object < y.Object
}

var driftRank = map[string]int{"schema": -3, "extension": -2, "table": -1, "column": 1, "constraint": 2, "index": 3}
