package checks

// What the locking rules know of statements: which table-level lock a
// statement takes (the modes and what they block are internal/lockmode's,
// shared with the live trace), on which relation, and what a statement does
// to the tables it names. add-column-rewrite, missing-lock-timeout and
// lock-held-across-statements share it.

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemagate/schemagate/internal/lockmode"
)

// relLock is one table-level lock that a statement takes. Rel is nil when
// the statement locks tables it does not name (VACUUM FULL, CLUSTER or
// REINDEX DATABASE without a table); Loc is where the statement names the
// relation, -1 when it does not.
type relLock struct {
	Mode lockmode.Mode
	Rel  *pg.RangeVar
	Loc  int32
}

func lockOn(m lockmode.Mode, rv *pg.RangeVar) relLock {
	if rv == nil {
		return relLock{Mode: m, Loc: -1}
	}
	return relLock{Mode: m, Rel: rv, Loc: rv.Location}
}

// blockingLock reports the first lock st takes that blocks reads or writes
// (SHARE or stronger) on a relation that existed before the migration: the
// mode as PostgreSQL names it and the relation, nil when the statement locks
// every table of a kind (VACUUM FULL without a table).
func blockingLock(p *Pass, st *Stmt) (mode string, rel *pg.RangeVar, ok bool) {
	l, ok := firstBlockingLock(p, st)
	return l.Mode.String(), l.Rel, ok
}

// firstBlockingLock is blockingLock with the lock mode as a value.
func firstBlockingLock(p *Pass, st *Stmt) (relLock, bool) {
	ls := existingLocks(p, st)
	if len(ls) == 0 {
		return relLock{}, false
	}
	return ls[0], true
}

// existingLocks lists the locks of statementLocks that fall on relations
// that existed before the migration.
func existingLocks(p *Pass, st *Stmt) []relLock {
	var out []relLock
	for _, l := range statementLocks(p, st) {
		if l.Rel == nil || !newAt(p, l.Rel, st) {
			out = append(out, l)
		}
	}
	return out
}

// statementLocks lists the table-level locks st takes that block reads or
// writes (SHARE and stronger), in the order the statement names the
// relations, whether or not the relations are new. Statements that take
// weaker locks (DML, CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, ...)
// or lock no relation (ALTER TYPE ... ADD VALUE) give none.
func statementLocks(p *Pass, st *Stmt) []relLock {
	var out []relLock
	add := func(m lockmode.Mode, rv *pg.RangeVar) {
		if m.BlocksWrites() {
			out = append(out, lockOn(m, rv))
		}
	}
	switch n := st.Node.GetNode().(type) {
	case *pg.Node_AlterTableStmt:
		if !lockedKind(n.AlterTableStmt.Objtype) {
			break
		}
		mode, others := alterTableLock(p, n.AlterTableStmt)
		add(mode, n.AlterTableStmt.Relation)
		out = append(out, others...)
	case *pg.Node_RenameStmt:
		r := n.RenameStmt
		switch r.RenameType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_COLUMN, pg.ObjectType_OBJECT_TABCONSTRAINT,
			pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW, pg.ObjectType_OBJECT_FOREIGN_TABLE,
			pg.ObjectType_OBJECT_TRIGGER, pg.ObjectType_OBJECT_RULE, pg.ObjectType_OBJECT_POLICY:
			add(lockmode.AccessExclusive, r.Relation)
		case pg.ObjectType_OBJECT_INDEX:
			// Renaming an index takes SHARE UPDATE EXCLUSIVE since 12.
			if pgBefore(p, 12) {
				add(lockmode.AccessExclusive, r.Relation)
			}
		}
	case *pg.Node_AlterObjectSchemaStmt:
		if lockedKind(n.AlterObjectSchemaStmt.ObjectType) {
			add(lockmode.AccessExclusive, n.AlterObjectSchemaStmt.Relation)
		}
	case *pg.Node_IndexStmt:
		if !n.IndexStmt.Concurrent {
			add(lockmode.Share, n.IndexStmt.Relation)
		}
	case *pg.Node_DropStmt:
		d := n.DropStmt
		if d.Concurrent {
			break
		}
		switch d.RemoveType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
			pg.ObjectType_OBJECT_FOREIGN_TABLE, pg.ObjectType_OBJECT_INDEX:
			for _, o := range d.Objects {
				add(lockmode.AccessExclusive, nameRangeVar(o, 0))
			}
		case pg.ObjectType_OBJECT_TRIGGER, pg.ObjectType_OBJECT_RULE, pg.ObjectType_OBJECT_POLICY:
			// The object is (schema, table, name): the table is locked.
			for _, o := range d.Objects {
				add(lockmode.AccessExclusive, nameRangeVar(o, 1))
			}
		}
	case *pg.Node_TruncateStmt:
		for _, r := range n.TruncateStmt.Relations {
			add(lockmode.AccessExclusive, r.GetRangeVar())
		}
	case *pg.Node_LockStmt:
		for _, r := range n.LockStmt.Relations {
			add(lockmode.Mode(n.LockStmt.Mode), r.GetRangeVar())
		}
	case *pg.Node_VacuumStmt:
		if !isVacuumFull(n.VacuumStmt) {
			break
		}
		if len(n.VacuumStmt.Rels) == 0 {
			add(lockmode.AccessExclusive, nil)
		}
		for _, r := range n.VacuumStmt.Rels {
			add(lockmode.AccessExclusive, r.GetVacuumRelation().GetRelation())
		}
	case *pg.Node_ClusterStmt:
		add(lockmode.AccessExclusive, n.ClusterStmt.Relation)
	case *pg.Node_RefreshMatViewStmt:
		if !n.RefreshMatViewStmt.Concurrent {
			add(lockmode.AccessExclusive, n.RefreshMatViewStmt.Relation)
		}
	case *pg.Node_ReindexStmt:
		r := n.ReindexStmt
		if defOption(r.Params, "concurrently") {
			break
		}
		switch r.Kind {
		case pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
			// ACCESS EXCLUSIVE on the index blocks the reads that use it,
			// SHARE on its table (which the statement does not name)
			// blocks writes.
			add(lockmode.AccessExclusive, r.Relation)
		case pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
			add(lockmode.Share, r.Relation)
		default:
			add(lockmode.Share, nil)
		}
	case *pg.Node_CreateTrigStmt:
		add(lockmode.ShareRowExclusive, n.CreateTrigStmt.Relation)
	case *pg.Node_RuleStmt:
		add(lockmode.AccessExclusive, n.RuleStmt.Relation)
	case *pg.Node_CreatePolicyStmt:
		add(lockmode.AccessExclusive, n.CreatePolicyStmt.Table)
	case *pg.Node_AlterPolicyStmt:
		add(lockmode.AccessExclusive, n.AlterPolicyStmt.Table)
	case *pg.Node_CreateStmt:
		c := n.CreateStmt
		if c.Partbound != nil {
			// CREATE TABLE ... PARTITION OF locks the parent.
			for _, r := range c.InhRelations {
				add(lockmode.AccessExclusive, r.GetRangeVar())
			}
		}
		// A foreign key adds triggers to the table it references.
		for _, e := range c.TableElts {
			if con := e.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
				add(lockmode.ShareRowExclusive, con.Pktable)
			}
			for _, cc := range e.GetColumnDef().GetConstraints() {
				if con := cc.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
					add(lockmode.ShareRowExclusive, con.Pktable)
				}
			}
		}
	}
	return out
}

// alreadyHeld reports whether every blocking lock st requests on an
// existing relation is already held, in the same or a stronger mode, by an
// earlier statement of its transaction (LOCK TABLE ... NOWAIT first, for
// example): st then does not queue for it.
func alreadyHeld(p *Pass, st *Stmt) bool {
	if !st.InTx {
		return false
	}
	want := existingLocks(p, st)
	if len(want) == 0 {
		return false
	}
	held := map[string]lockmode.Mode{}
	for _, s := range p.Statements[:st.Pos] {
		if !s.InTx || s.TxEnd < st.Pos {
			continue
		}
		for _, l := range existingLocks(p, s) {
			if l.Rel != nil {
				held[rel(l.Rel)] = max(held[rel(l.Rel)], l.Mode)
			}
		}
	}
	for _, l := range want {
		if l.Rel == nil || held[rel(l.Rel)] < l.Mode {
			return false
		}
	}
	return true
}

// pgBefore reports whether the rules assume a PostgreSQL major version
// older than v (an unset version counts as the newest).
func pgBefore(p *Pass, v int) bool { return p.PGVersion > 0 && p.PGVersion < v }

// lockedKind: the object kinds whose ALTER takes the table-level locks of
// ALTER TABLE.
func lockedKind(t pg.ObjectType) bool {
	switch t {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_VIEW,
		pg.ObjectType_OBJECT_MATVIEW, pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return true
	}
	return false
}

// alterTableLock is the mode ALTER TABLE takes on its table: the strongest
// of its subcommands, as PostgreSQL's AlterTableGetLockLevel decides it.
// others are the locks it takes on other tables (the table a foreign key
// references, a partition being attached or detached).
func alterTableLock(p *Pass, at *pg.AlterTableStmt) (mode lockmode.Mode, others []relLock) {
	for _, c := range at.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		m := lockmode.AccessExclusive
		switch cmd.Subtype {
		case pg.AlterTableType_AT_SetStatistics, pg.AlterTableType_AT_SetOptions, pg.AlterTableType_AT_ResetOptions,
			pg.AlterTableType_AT_ClusterOn, pg.AlterTableType_AT_DropCluster,
			pg.AlterTableType_AT_SetRelOptions, pg.AlterTableType_AT_ResetRelOptions,
			pg.AlterTableType_AT_ValidateConstraint, pg.AlterTableType_AT_DetachPartitionFinalize:
			// Storage parameters are mostly SHARE UPDATE EXCLUSIVE; a few
			// view options take more, which this does not model.
			m = lockmode.ShareUpdateExclusive
		case pg.AlterTableType_AT_EnableTrig, pg.AlterTableType_AT_EnableAlwaysTrig, pg.AlterTableType_AT_EnableReplicaTrig,
			pg.AlterTableType_AT_DisableTrig, pg.AlterTableType_AT_EnableTrigAll, pg.AlterTableType_AT_DisableTrigAll,
			pg.AlterTableType_AT_EnableTrigUser, pg.AlterTableType_AT_DisableTrigUser:
			m = lockmode.ShareRowExclusive
		case pg.AlterTableType_AT_AddConstraint:
			if con := cmd.GetDef().GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
				m = lockmode.ShareRowExclusive
				others = append(others, lockOn(lockmode.ShareRowExclusive, con.Pktable))
			}
		case pg.AlterTableType_AT_AddColumn:
			for _, cc := range cmd.GetDef().GetColumnDef().GetConstraints() {
				if con := cc.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
					others = append(others, lockOn(lockmode.ShareRowExclusive, con.Pktable))
				}
			}
		case pg.AlterTableType_AT_AttachPartition:
			// The partition is locked ACCESS EXCLUSIVE and scanned; the
			// parent only SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
			if !pgBefore(p, 12) {
				m = lockmode.ShareUpdateExclusive
			}
			others = append(others, lockOn(lockmode.AccessExclusive, cmd.GetDef().GetPartitionCmd().GetName()))
		case pg.AlterTableType_AT_DetachPartition:
			if pc := cmd.GetDef().GetPartitionCmd(); pc.GetConcurrent() {
				m = lockmode.ShareUpdateExclusive
			} else {
				others = append(others, lockOn(lockmode.AccessExclusive, pc.GetName()))
			}
		case pg.AlterTableType_AT_CheckNotNull:
			m = lockmode.AccessShare
		}
		mode = max(mode, m)
	}
	return mode, others
}

// scansOrRewrites reports whether an ALTER TABLE subcommand reads every row
// of the table or rewrites it, rather than changing the catalog only.
func scansOrRewrites(p *Pass, cmd *pg.AlterTableCmd) bool {
	switch cmd.Subtype {
	case pg.AlterTableType_AT_ValidateConstraint, pg.AlterTableType_AT_SetNotNull,
		pg.AlterTableType_AT_AlterColumnType, pg.AlterTableType_AT_SetLogged, pg.AlterTableType_AT_SetUnLogged,
		pg.AlterTableType_AT_SetAccessMethod, pg.AlterTableType_AT_SetTableSpace,
		pg.AlterTableType_AT_AttachPartition, pg.AlterTableType_AT_AddIndex:
		return true
	case pg.AlterTableType_AT_AddConstraint:
		con := cmd.GetDef().GetConstraint()
		if con == nil {
			return false
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_EXCLUSION:
			return con.Indexname == "" // USING INDEX adopts a built index
		case pg.ConstrType_CONSTR_CHECK, pg.ConstrType_CONSTR_FOREIGN:
			return !con.SkipValidation
		}
	case pg.AlterTableType_AT_AddColumn:
		def := cmd.GetDef().GetColumnDef()
		if def == nil {
			return false
		}
		if r := columnRewrite(p, def); r.rewrites() {
			return true
		}
		for _, c := range def.Constraints {
			switch c.GetConstraint().GetContype() {
			case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_CHECK,
				pg.ConstrType_CONSTR_FOREIGN, pg.ConstrType_CONSTR_EXCLUSION:
				return true
			}
		}
	}
	return false
}

// newAt reports whether the relation was created earlier in the migration
// or by st itself (CREATE TABLE ... AS, the new table of a CREATE TABLE).
func newAt(p *Pass, rv *pg.RangeVar, st *Stmt) bool {
	if p.IsNew(rv, st) {
		return true
	}
	i, ok := p.facts.created[rel(rv)]
	return ok && i == st.Pos
}

// nameRangeVar turns the qualified name of a DROP object into a relation,
// leaving off its last drop names (1 for "schema.table.trigger").
func nameRangeVar(o *pg.Node, drop int) *pg.RangeVar {
	var parts []string
	for _, it := range o.GetList().GetItems() {
		parts = append(parts, it.GetString_().GetSval())
	}
	if len(parts) <= drop {
		return nil
	}
	parts = parts[:len(parts)-drop]
	rv := &pg.RangeVar{Relname: parts[len(parts)-1], Location: -1}
	if len(parts) > 1 {
		rv.Schemaname = parts[len(parts)-2]
	}
	return rv
}

// defOption reports whether a list of DefElem options turns on name, as
// PostgreSQL's defGetBoolean reads "(FULL)", "(FULL true)", "(FULL 0)".
func defOption(opts []*pg.Node, name string) bool {
	on := false
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, name) {
			continue
		}
		on = true
		switch a := d.Arg.GetNode().(type) {
		case *pg.Node_Integer:
			on = a.Integer.Ival != 0
		case *pg.Node_Boolean:
			on = a.Boolean.Boolval
		case *pg.Node_String_:
			switch strings.ToLower(a.String_.Sval) {
			case "false", "off", "no", "0":
				on = false
			}
		}
	}
	return on
}

// isVacuumFull: VACUUM FULL or VACUUM (FULL), not plain VACUUM or ANALYZE.
func isVacuumFull(v *pg.VacuumStmt) bool {
	return v.IsVacuumcmd && defOption(v.Options, "full")
}

// relationsIn lists the relations named anywhere in a statement: targets,
// FROM lists, subqueries, REFERENCES, except the names of its own CTEs.
func relationsIn(n *pg.Node) []*pg.RangeVar {
	if n == nil {
		return nil
	}
	var rvs []*pg.RangeVar
	ctes := map[string]bool{}
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		switch v := m.Interface().(type) {
		case *pg.RangeVar:
			rvs = append(rvs, v)
			return
		case *pg.CommonTableExpr:
			ctes[v.Ctename] = true
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() != protoreflect.MessageKind {
				return true
			}
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			} else if !fd.IsMap() {
				walk(v.Message())
			}
			return true
		})
	}
	walk(n.ProtoReflect())
	out := rvs[:0]
	for _, rv := range rvs {
		if rv.Schemaname == "" && ctes[rv.Relname] {
			continue
		}
		out = append(out, rv)
	}
	return out
}

// stmtLabel names what a statement does, for messages: "ALTER TABLE",
// "UPDATE", "VACUUM FULL".
func stmtLabel(n *pg.Node) string {
	switch n := n.GetNode().(type) {
	case *pg.Node_AlterTableStmt:
		return "ALTER " + objectKind(n.AlterTableStmt.Objtype)
	case *pg.Node_RenameStmt:
		return "ALTER " + objectKind(renameStmtKind(n.RenameStmt)) + " ... RENAME"
	case *pg.Node_AlterObjectSchemaStmt:
		return "ALTER " + objectKind(n.AlterObjectSchemaStmt.ObjectType) + " ... SET SCHEMA"
	case *pg.Node_IndexStmt:
		s := "CREATE INDEX"
		if n.IndexStmt.Unique {
			s = "CREATE UNIQUE INDEX"
		}
		if n.IndexStmt.Concurrent {
			s += " CONCURRENTLY"
		}
		return s
	case *pg.Node_DropStmt:
		return "DROP " + objectKind(n.DropStmt.RemoveType)
	case *pg.Node_TruncateStmt:
		return "TRUNCATE"
	case *pg.Node_LockStmt:
		return "LOCK TABLE"
	case *pg.Node_VacuumStmt:
		switch {
		case !n.VacuumStmt.IsVacuumcmd:
			return "ANALYZE"
		case isVacuumFull(n.VacuumStmt):
			return "VACUUM FULL"
		}
		return "VACUUM"
	case *pg.Node_ClusterStmt:
		return "CLUSTER"
	case *pg.Node_RefreshMatViewStmt:
		if n.RefreshMatViewStmt.Concurrent {
			return "REFRESH MATERIALIZED VIEW CONCURRENTLY"
		}
		return "REFRESH MATERIALIZED VIEW"
	case *pg.Node_ReindexStmt:
		return "REINDEX"
	case *pg.Node_CreateTrigStmt:
		return "CREATE TRIGGER"
	case *pg.Node_RuleStmt:
		return "CREATE RULE"
	case *pg.Node_CreatePolicyStmt:
		return "CREATE POLICY"
	case *pg.Node_AlterPolicyStmt:
		return "ALTER POLICY"
	case *pg.Node_CreateStmt:
		return "CREATE TABLE"
	case *pg.Node_CreateTableAsStmt:
		if n.CreateTableAsStmt.Objtype == pg.ObjectType_OBJECT_MATVIEW {
			return "CREATE MATERIALIZED VIEW"
		}
		return "CREATE TABLE AS"
	case *pg.Node_ViewStmt:
		return "CREATE VIEW"
	case *pg.Node_InsertStmt:
		return "INSERT"
	case *pg.Node_UpdateStmt:
		return "UPDATE"
	case *pg.Node_DeleteStmt:
		return "DELETE"
	case *pg.Node_MergeStmt:
		return "MERGE"
	case *pg.Node_SelectStmt:
		return "SELECT"
	case *pg.Node_CopyStmt:
		return "COPY"
	case *pg.Node_ExplainStmt:
		return "EXPLAIN"
	}
	return "statement"
}

// objectKind spells an object type as SQL does: "TABLE", "MATERIALIZED VIEW".
func objectKind(t pg.ObjectType) string {
	s := strings.TrimPrefix(t.String(), "OBJECT_")
	switch s {
	case "MATVIEW":
		return "MATERIALIZED VIEW"
	case "TABCONSTRAINT":
		return "TABLE"
	case "FOREIGN_TABLE":
		return "FOREIGN TABLE"
	}
	return strings.ReplaceAll(s, "_", " ")
}

// renameStmtKind is the kind of object the statement's ALTER names:
// RENAME COLUMN and RENAME ATTRIBUTE carry it in RelationType (ALTER VIEW v
// RENAME COLUMN), every other form in RenameType. The parser sets
// RelationType for those two forms only; elsewhere it keeps C's zero value,
// which is OBJECT_ACCESS_METHOD (the protobuf enum shifts C's values by one
// to make room for OBJECT_TYPE_UNDEFINED), so it cannot be tested for "unset".
func renameStmtKind(r *pg.RenameStmt) pg.ObjectType {
	switch r.RenameType {
	case pg.ObjectType_OBJECT_COLUMN, pg.ObjectType_OBJECT_ATTRIBUTE:
		return r.RelationType
	}
	return r.RenameType
}

// volatility classes of a default expression.
type volatility int

const (
	nonVolatile volatility = iota // immutable or stable: computed once
	maybeVolatile
	isVolatile
)

// volatileFuncs are functions known to be volatile, matched on the last
// part of their name whatever the schema (extensions live anywhere).
var volatileFuncs = map[string]bool{
	"clock_timestamp": true, "timeofday": true, "random": true, "random_normal": true, "setseed": true,
	"gen_random_uuid": true, "gen_random_bytes": true, "uuidv4": true, "uuidv7": true,
	"uuid_generate_v1": true, "uuid_generate_v1mc": true, "uuid_generate_v4": true, "uuid_generate_v7": true,
	"nextval": true, "currval": true, "lastval": true, "setval": true,
	"txid_current": true, "txid_current_if_assigned": true, "pg_current_xact_id": true,
	"pg_current_xact_id_if_assigned": true,
}

// stableFuncs are built-in functions known to be immutable or stable,
// matched when called unqualified or as pg_catalog.name.
var stableFuncs = map[string]bool{
	"now": true, "transaction_timestamp": true, "statement_timestamp": true,
	"current_setting": true, "current_database": true, "current_schema": true, "current_schemas": true,
	"date_trunc": true, "date_part": true, "extract": true, "age": true, "timezone": true,
	"make_date": true, "make_time": true, "make_timestamp": true, "make_timestamptz": true, "make_interval": true,
	"to_timestamp": true, "to_date": true, "to_char": true, "to_number": true,
	"lower": true, "upper": true, "initcap": true, "btrim": true, "ltrim": true, "rtrim": true,
	"substring": true, "substr": true, "replace": true, "concat": true, "concat_ws": true, "format": true,
	"left": true, "right": true, "length": true, "repeat": true, "lpad": true, "rpad": true,
	"md5": true, "sha256": true, "encode": true, "decode": true,
	"abs": true, "round": true, "floor": true, "ceil": true, "ceiling": true, "trunc": true,
	"power": true, "sqrt": true, "mod": true,
	"json_build_object": true, "json_build_array": true, "jsonb_build_object": true, "jsonb_build_array": true,
	"to_json": true, "to_jsonb": true, "array_fill": true, "string_to_array": true, "array_to_string": true,
	"int4range": true, "int8range": true, "numrange": true, "tsrange": true, "tstzrange": true, "daterange": true,
}

// volatilityResult is the class of an expression, with the function that
// decided a volatile or unknown answer and its location (-1 when none).
type volatilityResult struct {
	class volatility
	name  string // the function that makes it volatile, "" when constant
	loc   int32
}

// exprVolatility classifies an expression the way the rewrite decision of
// ADD COLUMN needs: constants, casts of constants, operators on them and
// the known stable functions are computed once; a volatile function, or a
// function this list does not know, makes the whole expression volatile or
// possibly so. funcs holds the volatility of functions the script itself
// declares.
func exprVolatility(n *pg.Node, funcs map[string]volatility) volatilityResult {
	res := volatilityResult{class: nonVolatile, loc: -1}
	merge := func(r volatilityResult) {
		if r.class > res.class {
			res = r
		}
	}
	switch v := n.GetNode().(type) {
	case nil, *pg.Node_AConst, *pg.Node_SqlvalueFunction, *pg.Node_ParamRef:
	case *pg.Node_TypeCast:
		merge(exprVolatility(v.TypeCast.Arg, funcs))
	case *pg.Node_CollateClause:
		merge(exprVolatility(v.CollateClause.Arg, funcs))
	case *pg.Node_AExpr:
		merge(exprVolatility(v.AExpr.Lexpr, funcs))
		merge(exprVolatility(v.AExpr.Rexpr, funcs))
	case *pg.Node_List:
		for _, e := range v.List.Items {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_BoolExpr:
		for _, e := range v.BoolExpr.Args {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_NullTest:
		merge(exprVolatility(v.NullTest.Arg, funcs))
	case *pg.Node_CoalesceExpr:
		for _, e := range v.CoalesceExpr.Args {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_MinMaxExpr:
		for _, e := range v.MinMaxExpr.Args {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_AArrayExpr:
		for _, e := range v.AArrayExpr.Elements {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_RowExpr:
		for _, e := range v.RowExpr.Args {
			merge(exprVolatility(e, funcs))
		}
	case *pg.Node_CaseExpr:
		merge(exprVolatility(v.CaseExpr.Arg, funcs))
		merge(exprVolatility(v.CaseExpr.Defresult, funcs))
		for _, w := range v.CaseExpr.Args {
			if cw := w.GetCaseWhen(); cw != nil {
				merge(exprVolatility(cw.Expr, funcs))
				merge(exprVolatility(cw.Result, funcs))
			}
		}
	case *pg.Node_FuncCall:
		fc := v.FuncCall
		name, schema := funcName(fc), ""
		if len(fc.Funcname) > 1 {
			schema = strings.ToLower(fc.Funcname[len(fc.Funcname)-2].GetString_().GetSval())
		}
		full := name
		if schema != "" {
			full = schema + "." + name
		}
		self := volatilityResult{class: maybeVolatile, name: full, loc: fc.Location}
		switch c, declared := funcs[full]; {
		case declared:
			self.class = c
		case volatileFuncs[name]:
			self.class = isVolatile
		case stableFuncs[name] && (schema == "" || schema == "pg_catalog"):
			self.class = nonVolatile
		}
		if self.class > nonVolatile {
			merge(self)
		}
		for _, a := range fc.Args {
			merge(exprVolatility(a, funcs))
		}
	default:
		// Sub-queries and column references are not allowed in a default;
		// anything else unknown is treated as possibly volatile.
		res = volatilityResult{class: maybeVolatile, name: "", loc: -1}
	}
	return res
}

// declaredVolatility maps the functions that statements before st create
// ("name" or "schema.name") to the volatility they declare.
func declaredVolatility(p *Pass, st *Stmt) map[string]volatility {
	out := map[string]volatility{}
	for _, s := range p.Statements[:st.Pos] {
		cf := s.Node.GetCreateFunctionStmt()
		if cf == nil || cf.IsProcedure {
			continue
		}
		var parts []string
		for _, n := range cf.Funcname {
			parts = append(parts, strings.ToLower(n.GetString_().GetSval()))
		}
		class := isVolatile // PostgreSQL's default
		for _, o := range cf.Options {
			d := o.GetDefElem()
			if d.GetDefname() != "volatility" {
				continue
			}
			switch strings.ToLower(d.GetArg().GetString_().GetSval()) {
			case "immutable", "stable":
				class = nonVolatile
			}
		}
		out[strings.Join(parts, ".")] = class
		if len(parts) == 2 && parts[0] == "public" {
			out[parts[1]] = class
		}
	}
	return out
}

// isNullConst: NULL, or NULL cast to a type.
func isNullConst(n *pg.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		return isNullConst(tc.Arg)
	}
	c := n.GetAConst()
	return c != nil && c.Isnull
}

// serialTypes are the pseudo-types that create a sequence and fill the
// column from it.
var serialTypes = map[string]bool{
	"serial": true, "serial4": true, "bigserial": true, "serial8": true, "smallserial": true, "serial2": true,
}

// typeLastName is the unqualified name of a type.
func typeLastName(t *pg.TypeName) string {
	if t == nil || len(t.Names) == 0 {
		return ""
	}
	return strings.ToLower(t.Names[len(t.Names)-1].GetString_().GetSval())
}

// rewriteKind says why adding a column rewrites the table.
type rewriteKind int

const (
	noRewrite rewriteKind = iota
	rewriteSerial
	rewriteIdentity
	rewriteGenerated
	rewriteVolatile
	rewriteMaybeVolatile
	rewriteOldDefault // any non-null default before PostgreSQL 11
)

// columnRewriteResult is what columnRewrite found, and where.
type columnRewriteResult struct {
	kind rewriteKind
	fn   string // the volatile function, for rewriteVolatile and rewriteMaybeVolatile
	loc  int32
}

func (r columnRewriteResult) rewrites() bool { return r.kind != noRewrite }

// columnRewrite decides whether ADD COLUMN def rewrites the table: a
// serial type, an identity, a stored generated column, a volatile default,
// or, before PostgreSQL 11, any non-null default.
func columnRewrite(p *Pass, def *pg.ColumnDef) columnRewriteResult {
	return columnRewriteWith(p, def, nil)
}

func columnRewriteWith(p *Pass, def *pg.ColumnDef, funcs map[string]volatility) columnRewriteResult {
	if serialTypes[typeLastName(def.TypeName)] {
		return columnRewriteResult{kind: rewriteSerial, loc: def.TypeName.Location}
	}
	if def.Identity != "" {
		return columnRewriteResult{kind: rewriteIdentity, loc: def.Location}
	}
	if def.Generated != "" {
		return columnRewriteResult{kind: rewriteGenerated, loc: def.Location}
	}
	dflt, dfltLoc := def.RawDefault, def.Location
	for _, c := range def.Constraints {
		con := c.GetConstraint()
		switch con.GetContype() {
		case pg.ConstrType_CONSTR_IDENTITY:
			return columnRewriteResult{kind: rewriteIdentity, loc: con.Location}
		case pg.ConstrType_CONSTR_GENERATED:
			return columnRewriteResult{kind: rewriteGenerated, loc: con.Location}
		case pg.ConstrType_CONSTR_DEFAULT:
			dflt, dfltLoc = con.RawExpr, con.Location
		}
	}
	if dflt == nil || isNullConst(dflt) {
		return columnRewriteResult{}
	}
	v := exprVolatility(dflt, funcs)
	loc := v.loc
	if loc < 0 {
		loc = dfltLoc
	}
	switch {
	case v.class == isVolatile:
		return columnRewriteResult{kind: rewriteVolatile, fn: v.name, loc: loc}
	case pgBefore(p, 11):
		return columnRewriteResult{kind: rewriteOldDefault, loc: dfltLoc}
	case v.class == maybeVolatile:
		return columnRewriteResult{kind: rewriteMaybeVolatile, fn: v.name, loc: loc}
	}
	return columnRewriteResult{}
}
