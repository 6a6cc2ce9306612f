package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// ChangeColumnType reports ALTER COLUMN ... TYPE on a column that existed
// before the migration, unless the change is known to be binary-compatible.
var ChangeColumnType = &Rule{
	ID:       "change-column-type",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't change the type of a column in use",
		Text: `ALTER TABLE ... ALTER COLUMN ... TYPE takes an ACCESS EXCLUSIVE lock, which blocks
every read and write of the table, and in most cases rewrites the whole table and
rebuilds every index on it while holding that lock: minutes or hours on a large
table. Deployed code may also break on the new type (an integer that becomes text,
a timestamp that gains a time zone).

Some changes need no rewrite, only a short lock, because every stored value stays
valid as it is: varchar to text, text to varchar without a limit, and cidr to inet
(PostgreSQL 9.1 and later); raising or removing the length limit of a varchar or a
bit varying, and raising the precision of a numeric at the same scale or removing
its limits (9.2 and later). The rule stays quiet on those when an earlier migration
declared the column's current type and no USING expression or COLLATE changes the
values; when the current type is unknown it reports. A change on a column or table
created earlier in the same migration is safe too.

For the others, add a column of the new type, fill it in batches and keep it in sync
(a trigger or the code), switch the code over, then drop the old column in a later
migration. Suppress with "-- schemagate:ignore change-column-type <reason>" when the
table is known to be small.`,
		Bad: "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);",
		Good: "-- Expand: add a column of the new type, backfill it in batches, move the\n" +
			"-- code to it, then drop the old column in a later migration.\n" +
			"ALTER TABLE orders ADD COLUMN total_v2 numeric(14,2);",
		Help: "add a column of the new type, backfill it in batches, switch the code, then drop the old column",
	},
	Run: func(p *Pass) error {
		var upStmts []*Stmt
		upParsed := false
		for _, st := range p.Statements {
			at := st.Node.GetAlterTableStmt()
			if at == nil || at.Relation == nil {
				continue
			}
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				def := cmd.GetDef().GetColumnDef()
				if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_AlterColumnType || def == nil {
					continue
				}
				col := cmd.Name
				if p.ColumnIsNew(at.Relation, col, st) || p.ColumnCreatedByUp(at.Relation, col) {
					continue
				}
				prev := lastTypeChange(p.Statements[:st.Pos], at.Relation, col)
				if prev == nil && p.Direction == finding.Down {
					if !upParsed {
						for _, s := range p.upStatements() {
							upStmts = append(upStmts, &Stmt{Statement: s})
						}
						upParsed = true
					}
					prev = lastTypeChange(upStmts, at.Relation, col)
				}
				if prev == nil {
					prev = p.Schema.ColumnType(at.Relation, col)
				}
				what := fmt.Sprintf("ALTER COLUMN %s TYPE %s", quoteCol(at.Relation, col), typeSQL(def.TypeName))
				keeps := usingKeepsValue(def.RawDefault, col, def.TypeName)
				switch {
				case prev == nil:
					p.ReportAt(st, def.Location, what+" takes an ACCESS EXCLUSIVE lock and rewrites the table and its indexes unless the change is binary-compatible; the column's current type is unknown")
				case !keeps || !binaryCompatibleChange(prev, def.TypeName):
					p.ReportAt(st, def.Location, fmt.Sprintf("%s (from %s) rewrites the table and its indexes under an ACCESS EXCLUSIVE lock", what, typeSQL(prev)))
				case def.CollClause != nil:
					p.ReportAt(st, def.Location, what+" with a new collation rebuilds the column's indexes under an ACCESS EXCLUSIVE lock")
				}
			}
		}
		return nil
	},
}

// lastTypeChange returns the type that the last ALTER COLUMN ... TYPE of
// the column in stmts gave it, or nil.
func lastTypeChange(stmts []*Stmt, table *pg.RangeVar, col string) *pg.TypeName {
	for i := len(stmts) - 1; i >= 0; i-- {
		at := stmts[i].Node.GetAlterTableStmt()
		if at == nil || !sameRel(at.Relation, table) {
			continue
		}
		for j := len(at.Cmds) - 1; j >= 0; j-- {
			cmd := at.Cmds[j].GetAlterTableCmd()
			if cmd.GetSubtype() == pg.AlterTableType_AT_AlterColumnType && cmd.Name == col {
				if tn := cmd.GetDef().GetColumnDef().GetTypeName(); tn != nil {
					return tn
				}
			}
		}
	}
	return nil
}

// usingKeepsValue reports whether the USING expression of a type change
// (nil when there is none) is the column itself, possibly cast to the new
// type.
func usingKeepsValue(using *pg.Node, col string, to *pg.TypeName) bool {
	if using == nil {
		return true
	}
	if tc := using.GetTypeCast(); tc != nil {
		if typeSQL(tc.TypeName) != typeSQL(to) {
			return false
		}
		using = tc.Arg
	}
	ref := using.GetColumnRef()
	return ref != nil && len(ref.Fields) == 1 && ref.Fields[0].GetString_().GetSval() == col
}

// binaryCompatibleChange reports whether changing a column from type from
// to type to keeps every stored value valid as it is, so that PostgreSQL
// neither rewrites the table nor rebuilds its indexes.
func binaryCompatibleChange(from, to *pg.TypeName) bool {
	if typeSQL(from) == typeSQL(to) {
		return true
	}
	if len(from.ArrayBounds) > 0 || len(to.ArrayBounds) > 0 {
		return false
	}
	f, t := builtinType(from), builtinType(to)
	fm, ok1 := typeMods(from)
	tm, ok2 := typeMods(to)
	if f == "" || t == "" || !ok1 || !ok2 {
		return false
	}
	switch {
	case f == "varchar" && t == "varchar", f == "varbit" && t == "varbit":
		return len(tm) == 0 || len(fm) == 1 && len(tm) == 1 && tm[0] >= fm[0]
	case f == "varchar" && t == "text":
		return true
	case f == "text" && t == "varchar":
		return len(tm) == 0
	case f == "numeric" && t == "numeric":
		if len(tm) == 0 {
			return true
		}
		return len(fm) > 0 && numericScale(fm) == numericScale(tm) && tm[0] >= fm[0]
	case f == "cidr" && t == "inet":
		return true
	}
	return false
}

// numericScale is the scale of numeric(p,s) from its modifiers.
func numericScale(mods []int32) int32 {
	if len(mods) > 1 {
		return mods[1]
	}
	return 0
}
