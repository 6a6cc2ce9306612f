package models

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/schemagate/schemagate/internal/catalog"
)

// This file words each difference for people and writes the migration that
// would remove it: SQL, and the same as Alembic op. calls.

// head names an object for a message: "column users.nickname", "foreign
// key users_org_id_fkey on users", "index ix_users_email".
func (c *comparer) head(o catalog.Object, s *side) Drift {
	d := Drift{CatalogKind: o.Kind, Object: o.Name, Kind: o.Kind, Name: short(o.Name)}
	switch o.Kind {
	case "column":
		d.Table, _ = owner(o.Name)
	case "constraint", "trigger", "policy", "rule":
		rel, own := owner(o.Name)
		d.Table, d.Name = rel, unquote(own)+" on "+short(rel)
		if o.Kind == "constraint" {
			con := s.rel(rel).cons[own]
			d.Kind, d.Columns = con.kind(), con.Columns
		}
	case "sequence":
		d.Near, _ = sequenceOwner(o.Def)
	case "enum":
		d.Near = c.enumColumn(o.Name)
	case "index":
		x := parseIndex(o.Def)
		d.Table, d.Name = x.Table, unquote(x.Name)
		for _, k := range x.Keys {
			if simpleIdent.MatchString(k) || strings.HasPrefix(k, `"`) && strings.HasSuffix(k, `"`) {
				d.Columns = append(d.Columns, unquote(k))
			}
		}
	}
	return d
}

// enumColumn is the first column, of the models or else of the
// migrations, whose type is the enum (or an array of it).
func (c *comparer) enumColumn(enum string) string {
	for _, s := range []*side{c.b, c.a} {
		for _, rel := range sortedKeys(s.rels) {
			r := s.rels[rel]
			for _, own := range sortedKeys(r.columns) {
				if t := parseColumn(r.columns[own].Def).Type; t == enum || t == enum+"[]" {
					return rel + "." + own
				}
			}
		}
	}
	return ""
}

// missing reports an object that one side lacks; inMigrations says the
// migrations have it.
func (c *comparer) missing(o catalog.Object, inMigrations bool) {
	if inMigrations && c.opts.ORM && !ormKinds[o.Kind] {
		if c.res.Unmodeled == nil {
			c.res.Unmodeled = map[string]int{}
		}
		c.res.Unmodeled[o.Kind]++
		return
	}
	c.res.Drifts = append(c.res.Drifts, c.missingDrift(o, inMigrations))
}

func (c *comparer) missingDrift(o catalog.Object, inMigrations bool) Drift {
	s := c.b
	if inMigrations {
		s = c.a
	}
	d := c.head(o, s)
	if inMigrations {
		d.Migrations = o.Def
		d.Message = d.Kind + " " + d.Name + ": created by the migrations, not in the models"
		d.SQL, d.Alembic = dropFix(o, s)
	} else {
		d.Models = o.Def
		d.Message = d.Kind + " " + d.Name + ": in models, not created by any migration"
		d.SQL, d.Alembic = createFix(o, s)
	}
	return d
}

// differs reports an object both sides have, defined otherwise.
func (c *comparer) differs(oa, ob catalog.Object) {
	d := c.head(ob, c.b)
	d.Migrations, d.Models = oa.Def, ob.Def
	var mig, mod []string
	var stmts []string // the fix, one statement each
	around := func() {
		x, y := catalog.Around(display(oa.Def), display(ob.Def))
		mig, mod = []string{x}, []string{y}
	}
	switch oa.Kind {
	case "column":
		mig, mod, d.SQL, d.Alembic = columnChange(oa, ob, c.b)
		// A serial column's sequence changes with its type: its
		// difference is part of this finding, and of its fix.
		if seq := serialSequence(parseColumn(oa.Def).Default); seq != "" {
			sa, sb := c.a.seqs[seqKey(seq)], c.b.seqs[seqKey(seq)]
			if sa.Def != "" && sb.Def != "" && sa.Def != sb.Def {
				alter := alterSequence(sb.Def)
				d.SQL += "; " + alter
				d.Alembic += "\n" + opExecute(alter)
			}
		}
	case "constraint", "index":
		if oa.Kind == "index" {
			mig, mod = []string{parseIndex(oa.Def).describe()}, []string{parseIndex(ob.Def).describe()}
		} else {
			mig, mod = []string{display(oa.Def)}, []string{display(ob.Def)}
		}
		dropSQL, dropPy := dropFix(oa, c.a)
		createSQL, createPy := createFix(ob, c.b)
		d.SQL, d.Alembic = dropSQL+"; "+createSQL, dropPy+"\n"+createPy
	case "enum":
		la, lb := enumLabels(oa.Def), enumLabels(ob.Def)
		mig, mod = []string{"(" + strings.Join(la, ", ") + ")"}, []string{"(" + strings.Join(lb, ", ") + ")"}
		stmts = enumFix(ob.Name, la, lb)
	case "sequence":
		around()
		stmts = []string{alterSequence(ob.Def)}
	case "view":
		around()
		stmts = []string{"CREATE OR REPLACE VIEW " + display(strings.TrimPrefix(ob.Def, "CREATE VIEW "))}
	case "materialized view":
		around()
		stmts = []string{"DROP MATERIALIZED VIEW " + short(ob.Name), display(ob.Def)}
	case "function", "procedure":
		around()
		stmts = []string{display(ob.Def)} // pg_get_functiondef says CREATE OR REPLACE
	case "trigger":
		around()
		rel, own := owner(ob.Name)
		stmts = []string{"DROP TRIGGER " + own + " ON " + short(rel), display(ob.Def)}
	default:
		around()
	}
	if len(stmts) > 0 {
		d.SQL, d.Alembic = strings.Join(stmts, "; "), opExecute(stmts...)
	}
	sep := ", "
	if len(mig) > 1 {
		// "migrations give varchar(30), nullable; models give text, NOT NULL"
		sep = "; "
	}
	d.Message = d.Kind + " " + d.Name + ": migrations give " + strings.Join(mig, ", ") + sep + "models give " + strings.Join(mod, ", ")
	c.res.Drifts = append(c.res.Drifts, d)
}

// differsRenamed reports a constraint or an index that each side defines
// under a name of its own and otherwise (a generated name on one side, a
// naming convention's on the other), found by its key: one difference,
// named by what it is on, saying what differs and under which names.
func (c *comparer) differsRenamed(oa, ob catalog.Object) {
	d := c.head(ob, c.b)
	d.Migrations, d.Models = oa.Def, ob.Def
	rel, ownA := owner(oa.Name)
	_, ownB := owner(ob.Name)
	var mig, mod []string
	if oa.Kind == "index" {
		xa, xb := parseIndex(oa.Def), parseIndex(ob.Def)
		rel, ownA, ownB = xa.Table, xa.Name, xb.Name
		d.Name = "on " + short(rel) + " (" + display(strings.Join(xb.Keys, ", ")) + ")"
		mig, mod = []string{xa.describe()}, []string{xb.describe()}
	} else {
		ca, cb := c.a.rel(rel).cons[ownA], c.b.rel(rel).cons[ownB]
		d.Name = constraintOn(rel, cb)
		mig, mod = constraintAspects(ca, cb, oa.Def, ob.Def)
		if len(mig) == 0 {
			mig, mod = []string{display(oa.Def)}, []string{display(ob.Def)}
		}
	}
	dropSQL, dropPy := dropFix(oa, c.a)
	createSQL, createPy := createFix(ob, c.b)
	d.SQL, d.Alembic = dropSQL+"; "+createSQL, dropPy+"\n"+createPy
	sep := ", "
	if len(mig) > 1 {
		sep = "; "
	}
	d.Message = d.Kind + " " + d.Name + ": migrations give " + strings.Join(mig, ", ") + sep + "models give " + strings.Join(mod, ", ") +
		" (named " + unquote(ownA) + " by the migrations, " + unquote(ownB) + " by the models)"
	c.res.Drifts = append(c.res.Drifts, d)
}

// constraintOn names a constraint by what it is on: "orders(user_id) →
// users(id)" for a foreign key, "users(email)" for a unique constraint,
// "on users" for a primary key.
func constraintOn(rel string, con constraint) string {
	cols := func(t string, cs []string) string { return short(t) + "(" + strings.Join(cs, ", ") + ")" }
	switch con.Type {
	case "FOREIGN KEY":
		return cols(rel, con.Columns) + " → " + cols(con.RefTable, con.RefColumns)
	case "UNIQUE":
		return cols(rel, con.Columns)
	}
	return "on " + short(rel)
}

// constraintAspects are the parts in which two foreign keys of one key
// differ, as each side gives them: their actions and deferrability. None
// when they differ elsewhere too (MATCH FULL, NOT VALID): the whole
// definitions say it then.
func constraintAspects(a, b constraint, defA, defB string) (mig, mod []string) {
	if a.Type != "FOREIGN KEY" || fkAspects.ReplaceAllString(defA, "") != fkAspects.ReplaceAllString(defB, "") {
		return nil, nil
	}
	aspect := func(x, y string) {
		if x != y {
			mig, mod = append(mig, x), append(mod, y)
		}
	}
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	aspect("ON DELETE "+or(a.OnDelete, "NO ACTION"), "ON DELETE "+or(b.OnDelete, "NO ACTION"))
	aspect("ON UPDATE "+or(a.OnUpdate, "NO ACTION"), "ON UPDATE "+or(b.OnUpdate, "NO ACTION"))
	aspect(or(a.Deferrable, "NOT DEFERRABLE"), or(b.Deferrable, "NOT DEFERRABLE"))
	return mig, mod
}

// fkAspects are the parts of a foreign key's definition that
// constraintAspects words.
var fkAspects = regexp.MustCompile(` ON (DELETE|UPDATE) (NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)( \([^)]*\))?| (NOT )?DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?`)

// columnChange words a column's difference, aspect by aspect, and the
// ALTER TABLE that gives the migrations the models' column.
func columnChange(oa, ob catalog.Object, s *side) (mig, mod []string, sql, alembic string) {
	a, b := parseColumn(oa.Def), parseColumn(ob.Def)
	rel, own := owner(ob.Name)
	var alters, kwargs, later []string
	plain := true // every difference can be said with op.alter_column
	aspect := func(x, y string) { mig, mod = append(mig, x), append(mod, y) }
	if a.Type != b.Type || a.Collation != b.Collation {
		aspect(shortType(a.Type)+collation(a.Collation), shortType(b.Type)+collation(b.Collation))
		alter := "TYPE " + shortType(b.Type)
		if b.Collation != "" {
			alter += " COLLATE " + b.Collation
			plain = false
		}
		if needsUsing(a.Type, b.Type) {
			// Without USING, PostgreSQL refuses a change it has no
			// implicit cast for (text to bigint).
			using := own + "::" + shortType(b.Type)
			alter += " USING " + using
			kwargs = append(kwargs, "postgresql_using="+pyString(using))
		}
		alters = append(alters, alter)
		kwargs = append(kwargs, "type_="+saType(b.Type, s))
	}
	if a.NotNull != b.NotNull {
		aspect(nullability(a.NotNull), nullability(b.NotNull))
		if b.NotNull {
			// SET NOT NULL alone scans the table under an ACCESS EXCLUSIVE
			// lock (set-not-null): a CHECK added NOT VALID and validated
			// in a later migration lets it skip the scan.
			var add string
			add, later = notNullSteps(rel, own)
			sql += add + "; "
			plain = false
		} else {
			alters = append(alters, "DROP NOT NULL")
			kwargs = append(kwargs, "nullable=True")
		}
	}
	dropDefault := a.Default != "" && b.Default == ""
	if a.Identity != b.Identity {
		aspect(identity(a.Identity), identity(b.Identity))
		plain = false
		switch {
		case b.Identity == "":
			alters = append(alters, "DROP IDENTITY")
		case a.Identity == "":
			if a.Default != "" {
				// A serial column's default and sequence go before the
				// identity comes, which makes a sequence of that name.
				dropDefault = false
				if seq := serialSequence(a.Default); seq != "" {
					sql = "ALTER TABLE " + short(rel) + " ALTER COLUMN " + own + " DROP DEFAULT; DROP SEQUENCE " + seq + "; "
				} else {
					alters = append(alters, "DROP DEFAULT")
				}
			}
			alters = append(alters, "ADD GENERATED "+b.Identity+" AS IDENTITY")
		default:
			alters = append(alters, "SET GENERATED "+b.Identity)
		}
	}
	if a.Default != b.Default {
		aspect(defaultOf(a.Default), defaultOf(b.Default))
		switch {
		case b.Default != "":
			alters = append(alters, "SET DEFAULT "+display(b.Default))
			kwargs = append(kwargs, "server_default=sa.text("+pyString(display(b.Default))+")")
		case dropDefault:
			alters = append(alters, "DROP DEFAULT")
			kwargs = append(kwargs, "server_default=None")
		}
	}
	if a.Generated != b.Generated {
		aspect(generated(a.Generated), generated(b.Generated))
		plain = false
		if b.Generated == "" {
			alters = append(alters, "DROP EXPRESSION")
		} else {
			// A column cannot become generated: drop and add it again.
			alters = nil
			sql = "ALTER TABLE " + short(rel) + " DROP COLUMN " + own + ", ADD COLUMN " + own + " " + display(ob.Def)
			return mig, mod, sql, opExecute(sql)
		}
	}
	if a.Rest != b.Rest {
		aspect(orNone(a.Rest), orNone(b.Rest))
		plain = false
	}
	if len(alters) > 0 {
		parts := make([]string, len(alters))
		for i, a := range alters {
			parts[i] = "ALTER COLUMN " + own + " " + a
		}
		sql += "ALTER TABLE " + short(rel) + " " + strings.Join(parts, ", ")
	}
	sql = strings.TrimSuffix(sql, "; ")
	if plain && len(kwargs) > 0 {
		alembic = "op.alter_column(" + pyTable(rel) + ", " + pyString(unquote(own)) + ", " + strings.Join(kwargs, ", ") + schemaArg(rel) + ")"
	} else if sql != "" {
		alembic = opExecute(strings.Split(sql, "; ")...)
	}
	if len(later) > 0 {
		sql += thenLater + strings.Join(later, "; ")
		alembic += "\n# then, in a later revision:\n" + opExecute(later...)
	}
	return mig, mod, sql, alembic
}

// thenLater joins the statements of a fix that belong in a later migration
// (a VALIDATE, which in the transaction of its ADD would hold the ADD's lock
// while it scans); fillThenLater those that come after the rows are
// filled in.
const (
	thenLater     = " — then, in a later migration: "
	fillThenLater = " — fill it in, then, in a later migration: "
)

// notNullSteps make a column of a table in use NOT NULL without scanning
// the table under an ACCESS EXCLUSIVE lock: a CHECK added NOT VALID (add),
// then, in a later migration, validated, which lets SET NOT NULL skip its
// scan, and dropped (later).
func notNullSteps(rel, own string) (add string, later []string) {
	_, table := owner(rel)
	check := pgName(unquote(table) + "_" + unquote(own) + "_not_null")
	alter := "ALTER TABLE " + short(rel) + " "
	return alter + "ADD CONSTRAINT " + check + " CHECK (" + own + " IS NOT NULL) NOT VALID",
		[]string{alter + "VALIDATE CONSTRAINT " + check, alter + "ALTER COLUMN " + own + " SET NOT NULL", alter + "DROP CONSTRAINT " + check}
}

// needsUsing: a type change that PostgreSQL makes only with a USING (no
// assignment cast, as from text to bigint); changes within a type (its
// length, precision) and between varchar and text need none.
func needsUsing(from, to string) bool {
	base := func(t string) string {
		if i := strings.IndexByte(t, '('); i >= 0 {
			t = t[:i]
		}
		switch t = strings.TrimSpace(t); t {
		case "character varying", "varchar", "text":
			return "text"
		}
		return t
	}
	return base(from) != base(to)
}

// pgName cuts a name to PostgreSQL's 63 bytes, quoting it when it must be.
func pgName(name string) string {
	if len(name) > 63 {
		name = name[:63]
	}
	if simpleIdent.MatchString(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// alterSequence is the ALTER SEQUENCE that gives a sequence the definition
// def.
func alterSequence(def string) string {
	return "ALTER SEQUENCE " + display(strings.TrimPrefix(def, "CREATE SEQUENCE "))
}

// seqKey is the qualified name of a sequence named in a default.
func seqKey(name string) string {
	if len(splitName(name)) == 1 {
		return "public." + name
	}
	return name
}

var nextval = regexp.MustCompile(`^nextval\('((?:[^']|'')+)'::regclass\)$`)

// serialSequence is the sequence of a serial column's default, "" when the
// default is something else.
func serialSequence(def string) string {
	m := nextval.FindStringSubmatch(def)
	if m == nil {
		return ""
	}
	return display(strings.ReplaceAll(m[1], "''", "'"))
}

// serialColumn gives a column whose default is the sequence it owns as
// serial, bigserial or smallserial, without the default: the sequence is
// made with it.
func serialColumn(rel, own string, def string, s *side) (string, bool) {
	c := parseColumn(def)
	seq := serialSequence(c.Default)
	if seq == "" {
		return def, false
	}
	o, ok := s.seqs[seqKey(seq)]
	if col, _ := sequenceOwner(o.Def); !ok || col != rel+"."+own {
		return def, false
	}
	serial, ok := map[string]string{"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}[c.Type]
	if !ok {
		return def, false
	}
	c.Type, c.Default = serial, ""
	return c.String(), true
}

// shortTypes writes a column's type as people write it (varchar(30),
// timestamptz).
func shortTypes(def string) string {
	c := parseColumn(def)
	c.Type = shortType(c.Type)
	return c.String()
}

func collation(c string) string {
	if c == "" {
		return ""
	}
	return " COLLATE " + c
}

func nullability(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "nullable"
}

func identity(id string) string {
	if id == "" {
		return "no identity"
	}
	return "GENERATED " + id + " AS IDENTITY"
}

func defaultOf(expr string) string {
	if expr == "" {
		return "no default"
	}
	return "DEFAULT " + display(expr)
}

func generated(expr string) string {
	if expr == "" {
		return "not generated"
	}
	return "GENERATED ALWAYS AS (" + display(expr) + ") STORED"
}

func orNone(s string) string {
	if s == "" {
		return "no storage options"
	}
	return display(s)
}

// enumFix adds the labels the models have to the enum when the
// migrations' labels are among them in the same order; else the type must
// be recreated.
func enumFix(name string, have, want []string) []string {
	i := 0
	for _, l := range want {
		if i < len(have) && have[i] == l {
			i++
		}
	}
	if i < len(have) {
		return nil
	}
	var stmts []string
	j := 0
	for k, l := range want {
		if j < len(have) && have[j] == l {
			j++
			continue
		}
		where := ""
		if j < len(have) {
			where = " BEFORE " + have[j]
		} else if k > 0 {
			where = " AFTER " + want[k-1]
		}
		stmts = append(stmts, "ALTER TYPE "+short(name)+" ADD VALUE "+l+where)
	}
	return stmts
}

// createFix is what gives the migrations an object only the models have.
func createFix(o catalog.Object, s *side) (sql, alembic string) {
	switch o.Kind {
	case "table":
		return createTable(o, s)
	case "column":
		rel, own := owner(o.Name)
		def, serial := serialColumn(rel, own, o.Def, s)
		required := false
		if c := parseColumn(def); !serial && c.NotNull && c.Default == "" && c.Identity == "" && c.Generated == "" {
			// NOT NULL without a default fails on a table with rows
			// (add-column-required): added nullable and filled in, then
			// made NOT NULL through a CHECK validated apart.
			def, required = strings.Replace(def, " NOT NULL", "", 1), true
		}
		sql = "ALTER TABLE " + short(rel) + " ADD COLUMN " + own + " " + display(shortTypes(def))
		alembic = "op.add_column(" + pyTable(rel) + ", " + saColumn(own, def, serial, s) + schemaArg(rel) + ")"
		if required {
			add, later := notNullSteps(rel, own)
			sql += fillThenLater + add + thenLater + strings.Join(later, "; ")
			alembic += "\n# fill it in, then, in a later revision:\n" + opExecute(add) +
				"\n# then, in a later revision:\n" + opExecute(later...)
		}
		return sql, alembic
	case "constraint":
		rel, own := owner(o.Name)
		con := s.rel(rel).cons[own]
		sql = "ALTER TABLE " + short(rel) + " ADD CONSTRAINT " + own + " " + display(o.Def)
		name, table := pyString(unquote(own)), pyTable(rel)
		switch con.Type {
		case "PRIMARY KEY":
			return sql, "op.create_primary_key(" + name + ", " + table + ", " + pyList(con.Columns) + schemaArg(rel) + ")"
		case "UNIQUE":
			if strings.HasPrefix(o.Def, "UNIQUE (") && strings.HasSuffix(o.Def, ")") && !strings.Contains(o.Def, " INCLUDE ") {
				// On a table in use: the index built without blocking
				// writes, then the constraint made from it
				// (add-unique-constraint).
				// The columns as PostgreSQL printed them: quoted where they
				// must be ("order").
				index := "CREATE UNIQUE INDEX CONCURRENTLY " + own + " ON " + short(rel) + " " + strings.TrimPrefix(o.Def, "UNIQUE ")
				attach := "ALTER TABLE " + short(rel) + " ADD CONSTRAINT " + own + " UNIQUE USING INDEX " + own
				return index + thenLater + attach, "with op.get_context().autocommit_block():\n    op.create_index(" + name + ", " + table + ", " +
					pyList(con.Columns) + ", unique=True, postgresql_concurrently=True" + schemaArg(rel) + ")\n# then, in a later revision:\n" + opExecute(attach)
			}
			if !strings.Contains(o.Def, "NULLS NOT DISTINCT") && !strings.Contains(o.Def, "INCLUDE") {
				return sql, "op.create_unique_constraint(" + name + ", " + table + ", " + pyList(con.Columns) + schemaArg(rel) + ")"
			}
		case "FOREIGN KEY":
			if !strings.Contains(o.Def, "NOT VALID") {
				// On tables that exist: added NOT VALID, then validated,
				// which blocks neither table's writes for the scan.
				add := sql + " NOT VALID"
				validate := "ALTER TABLE " + short(rel) + " VALIDATE CONSTRAINT " + own
				return add + "; " + validate, opExecute(add) + "\n" + opExecute(validate)
			}
			ref := con.RefTable
			args := []string{name, table, pyTable(ref), pyList(con.Columns), pyList(con.RefColumns)}
			args = append(args, fkOptions(con)...)
			if sch := schemaOf(rel); sch != "public" {
				args = append(args, "source_schema="+pyString(sch))
			}
			if sch := schemaOf(ref); sch != "public" {
				args = append(args, "referent_schema="+pyString(sch))
			}
			return sql, "op.create_foreign_key(" + strings.Join(args, ", ") + ")"
		case "CHECK":
			if !strings.Contains(o.Def, "NOT VALID") && !strings.Contains(o.Def, "NO INHERIT") {
				return sql, "op.create_check_constraint(" + name + ", " + table + ", " + pyString(display(con.Expr)) + schemaArg(rel) + ")"
			}
		}
		return sql, opExecute(sql)
	case "index":
		// On a table that exists: without blocking its writes.
		sql = strings.Replace(display(o.Def), " INDEX ", " INDEX CONCURRENTLY ", 1)
		if py := createIndexOp(parseIndex(o.Def)); py != "" {
			py = strings.TrimSuffix(py, ")") + ", postgresql_concurrently=True)"
			return sql, "with op.get_context().autocommit_block():\n    " + py
		}
		return sql, opExecute(sql)
	case "extension":
		sql = "CREATE EXTENSION IF NOT EXISTS " + short(o.Name)
	case "schema":
		sql = "CREATE SCHEMA " + o.Name
	case "trigger", "policy", "rule", "function", "procedure":
		sql = display(o.Def)
	default:
		sql = display(o.Def)
	}
	return sql, opExecute(sql)
}

// createTable writes the models' table with its columns, constraints and
// indexes.
func createTable(o catalog.Object, s *side) (sql, alembic string) {
	r := s.rel(o.Name)
	var cols, pyArgs []string
	pyArgs = append(pyArgs, pyTable(o.Name))
	for _, own := range sortedKeys(r.columns) {
		def, serial := serialColumn(o.Name, own, r.columns[own].Def, s)
		cols = append(cols, own+" "+display(shortTypes(def)))
		pyArgs = append(pyArgs, saColumn(own, def, serial, s))
	}
	for _, own := range sortedKeys(r.constraints) {
		cols = append(cols, "CONSTRAINT "+own+" "+display(r.constraints[own].Def))
		pyArgs = append(pyArgs, saConstraint(own, r.cons[own], r.constraints[own].Def))
	}
	if sch := schemaOf(o.Name); sch != "public" {
		pyArgs = append(pyArgs, "schema="+pyString(sch))
	}
	def := display(o.Def)
	sql = def + " (" + strings.Join(cols, ", ") + ")"
	alembic = "op.create_table(" + strings.Join(pyArgs, ", ") + ")"
	for _, own := range sortedKeys(r.indexes) {
		if con, ok := r.cons[own]; ok && con.hasIndex() {
			continue
		}
		x := r.index[own]
		sql += "; " + display(r.indexes[own].Def)
		if py := createIndexOp(x); py != "" {
			alembic += "; " + py
		} else {
			alembic += "; " + opExecute(display(r.indexes[own].Def))
		}
	}
	return sql, alembic
}

// dropFix is what takes out of the migrations an object the models lack.
func dropFix(o catalog.Object, s *side) (sql, alembic string) {
	switch o.Kind {
	case "table":
		return "DROP TABLE " + short(o.Name), "op.drop_table(" + pyTable(o.Name) + schemaArg(o.Name) + ")"
	case "column":
		rel, own := owner(o.Name)
		return "ALTER TABLE " + short(rel) + " DROP COLUMN " + own,
			"op.drop_column(" + pyTable(rel) + ", " + pyString(unquote(own)) + schemaArg(rel) + ")"
	case "constraint":
		rel, own := owner(o.Name)
		typ := map[string]string{"PRIMARY KEY": "primary", "UNIQUE": "unique", "FOREIGN KEY": "foreignkey", "CHECK": "check"}[s.rel(rel).cons[own].Type]
		py := "op.drop_constraint(" + pyString(unquote(own)) + ", " + pyTable(rel)
		if typ != "" {
			py += ", type_=" + pyString(typ)
		}
		return "ALTER TABLE " + short(rel) + " DROP CONSTRAINT " + own, py + schemaArg(rel) + ")"
	case "index":
		x := parseIndex(o.Def)
		return "DROP INDEX CONCURRENTLY " + short(o.Name),
			"op.drop_index(" + pyString(unquote(x.Name)) + ", table_name=" + pyTable(x.Table) + schemaArg(x.Table) + ")"
	case "trigger", "policy", "rule":
		rel, own := owner(o.Name)
		sql = "DROP " + strings.ToUpper(o.Kind) + " " + own + " ON " + short(rel)
	case "enum":
		sql = "DROP TYPE " + short(o.Name)
	default:
		sql = "DROP " + strings.ToUpper(o.Kind) + " " + short(o.Name)
	}
	return sql, opExecute(sql)
}

// createIndexOp is op.create_index for an index whose parts it can say,
// "" otherwise.
func createIndexOp(x index) string {
	if x.Name == "" || strings.Contains(x.Tail, "NULLS NOT DISTINCT") || strings.Contains(x.Tail, "WITH (") || strings.Contains(x.Tail, "INVALID") {
		return ""
	}
	var keys []string
	for _, k := range x.Keys {
		if simpleIdent.MatchString(k) || strings.HasPrefix(k, `"`) && strings.HasSuffix(k, `"`) && !strings.Contains(k[1:len(k)-1], `"`) {
			keys = append(keys, pyString(unquote(k)))
		} else {
			keys = append(keys, "sa.text("+pyString(display(k))+")")
		}
	}
	args := []string{pyString(unquote(x.Name)), pyTable(x.Table), "[" + strings.Join(keys, ", ") + "]"}
	if x.Unique {
		args = append(args, "unique=True")
	}
	if sch := schemaOf(x.Table); sch != "public" {
		args = append(args, "schema="+pyString(sch))
	}
	if x.Method != "btree" && x.Method != "" {
		args = append(args, "postgresql_using="+pyString(x.Method))
	}
	tail := x.Tail
	if rest, ok := strings.CutPrefix(tail, "INCLUDE ("); ok {
		end := closing(tail, len("INCLUDE "))
		if end < 0 {
			return ""
		}
		var inc []string
		for _, c := range splitList(rest[:end-len("INCLUDE (")]) {
			inc = append(inc, unquote(c))
		}
		args = append(args, "postgresql_include="+pyList(inc))
		tail = strings.TrimSpace(tail[end+1:])
	}
	if pred, ok := strings.CutPrefix(tail, "WHERE "); ok {
		args = append(args, "postgresql_where=sa.text("+pyString(display(pred))+")")
		tail = ""
	}
	if tail != "" {
		return ""
	}
	return "op.create_index(" + strings.Join(args, ", ") + ")"
}

var simpleIdent = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// saColumn is sa.Column(...) for a column of the catalog; serial says the
// type is serial, bigserial or smallserial.
func saColumn(own, def string, serial bool, s *side) string {
	c := parseColumn(def)
	if serial {
		c.Type = map[string]string{"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}[c.Type]
	}
	args := []string{pyString(unquote(own)), saType(c.Type, s)}
	if c.Identity != "" {
		args = append(args, "sa.Identity(always="+pyBool(c.Identity == "ALWAYS")+")")
	}
	if c.Generated != "" {
		args = append(args, "sa.Computed("+pyString(display(c.Generated))+", persisted=True)")
	}
	if serial {
		args = append(args, "autoincrement=True")
	}
	args = append(args, "nullable="+pyBool(!c.NotNull))
	if c.Default != "" {
		args = append(args, "server_default=sa.text("+pyString(display(c.Default))+")")
	}
	return "sa.Column(" + strings.Join(args, ", ") + ")"
}

// saConstraint is the constraint as an argument of op.create_table.
func saConstraint(own string, con constraint, def string) string {
	name := "name=" + pyString(unquote(own))
	switch con.Type {
	case "PRIMARY KEY":
		return "sa.PrimaryKeyConstraint(" + pyArgs(con.Columns) + name + ")"
	case "UNIQUE":
		return "sa.UniqueConstraint(" + pyArgs(con.Columns) + name + ")"
	case "FOREIGN KEY":
		var remote []string
		for _, c := range con.RefColumns {
			remote = append(remote, unquote(short(con.RefTable))+"."+c)
		}
		args := append([]string{pyList(con.Columns), pyList(remote), name}, fkOptions(con)...)
		return "sa.ForeignKeyConstraint(" + strings.Join(args, ", ") + ")"
	case "CHECK":
		return "sa.CheckConstraint(" + pyString(display(con.Expr)) + ", " + name + ")"
	}
	return "sa.DDL(" + pyString(display(def)) + ")"
}

func fkOptions(con constraint) []string {
	var out []string
	if con.OnDelete != "" {
		out = append(out, "ondelete="+pyString(con.OnDelete))
	}
	if con.OnUpdate != "" {
		out = append(out, "onupdate="+pyString(con.OnUpdate))
	}
	if con.Match != "" {
		out = append(out, "match="+pyString(con.Match))
	}
	if con.Deferrable != "" {
		out = append(out, "deferrable=True")
		if strings.HasSuffix(con.Deferrable, "DEFERRED") {
			out = append(out, `initially="DEFERRED"`)
		}
	}
	return out
}

// saType is the SQLAlchemy type for a PostgreSQL type as the catalog
// prints it.
func saType(t string, s *side) string {
	if inner, ok := strings.CutSuffix(t, "[]"); ok {
		return "postgresql.ARRAY(" + saType(inner, s) + ")"
	}
	st := shortType(t)
	base, args := st, ""
	if i := strings.IndexByte(st, '('); i >= 0 && strings.HasSuffix(st, ")") {
		base, args = st[:i], st[i+1:len(st)-1]
	}
	switch base {
	case "varchar":
		return "sa.String(" + args + ")"
	case "char":
		return "sa.CHAR(" + args + ")"
	case "text":
		return "sa.Text()"
	case "integer":
		return "sa.Integer()"
	case "bigint":
		return "sa.BigInteger()"
	case "smallint":
		return "sa.SmallInteger()"
	case "boolean":
		return "sa.Boolean()"
	case "numeric":
		return "sa.Numeric(" + strings.ReplaceAll(args, ",", ", ") + ")"
	case "real":
		return "sa.REAL()"
	case "double precision":
		return "sa.Float()"
	case "date":
		return "sa.Date()"
	case "timestamp":
		return "sa.DateTime()"
	case "timestamptz":
		return "sa.DateTime(timezone=True)"
	case "time":
		return "sa.Time()"
	case "timetz":
		return "sa.Time(timezone=True)"
	case "interval":
		return "sa.Interval()"
	case "bytea":
		return "sa.LargeBinary()"
	case "json":
		return "sa.JSON()"
	case "jsonb", "uuid", "inet", "cidr", "macaddr", "tsvector", "money", "oid", "bit", "varbit", "hstore", "citext":
		return "postgresql." + strings.ToUpper(base) + "(" + args + ")"
	}
	if strings.Contains(t, ".") {
		// A type of the user's: an enum the models define, else unknown
		// to SQLAlchemy.
		if s != nil {
			if _, ok := s.top["enum "+t]; ok {
				_, own := owner(t)
				return "postgresql.ENUM(name=" + pyString(unquote(own)) + ", create_type=False)"
			}
		}
		return "sa.types.NullType()"
	}
	return "postgresql." + strings.ToUpper(strings.ReplaceAll(base, " ", "_")) + "(" + args + ")"
}

func schemaOf(qualified string) string {
	parts := splitName(qualified)
	if len(parts) < 2 {
		return "public"
	}
	return unquote(parts[0])
}

// pyTable is a relation's name as an op. call names it: without the
// schema, which goes in schema=.
func pyTable(qualified string) string {
	parts := splitName(qualified)
	return pyString(unquote(parts[len(parts)-1]))
}

func schemaArg(qualified string) string {
	if sch := schemaOf(qualified); sch != "public" {
		return ", schema=" + pyString(sch)
	}
	return ""
}

func pyString(s string) string { return strconv.Quote(s) }

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func pyList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = pyString(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// pyArgs is xs as leading positional arguments: `"a", "b", `.
func pyArgs(xs []string) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(pyString(x) + ", ")
	}
	return b.String()
}

// opExecute runs each statement with op.execute.
func opExecute(stmts ...string) string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = "op.execute(" + pyString(s) + ")"
	}
	return strings.Join(out, "; ")
}

func sortedKeys[V any](m map[string]V) []string { return unionKeys(m, map[string]V(nil)) }
