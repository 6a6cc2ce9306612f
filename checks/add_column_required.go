package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddColumnRequired reports ADD COLUMN ... NOT NULL without a default on a
// table that existed before the migration.
var AddColumnRequired = &Rule{
	ID:       "add-column-required",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Give new NOT NULL columns a default",
		Text: `ALTER TABLE ... ADD COLUMN ... NOT NULL with no DEFAULT fills the existing rows with
NULL, which the constraint rejects: on a table that has any row the statement
fails, in every PostgreSQL version, after it has waited for its ACCESS EXCLUSIVE
lock and blocked the queries queued behind it. It works on an empty development
database and breaks on production. A PRIMARY KEY column implies NOT NULL and fails
the same way; DEFAULT NULL is no default.

Columns that fill themselves are not reported here: identity, serial and stored
generated columns (add-column-rewrite reports the rewrite they cause).

Adding a required column to a table created earlier in the same migration is
safe: the table is empty. Otherwise give the column a constant default (from
PostgreSQL 11 this changes only the catalog), or add it nullable, backfill it,
and then make it NOT NULL (see set-not-null). Suppress with
"-- schemagate:ignore add-column-required <reason>" when the table is known to be
empty.`,
		Bad: "ALTER TABLE users ADD COLUMN plan text NOT NULL;",
		Good: "SET lock_timeout = '5s';\n" +
			"ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
		Help: "add the column with a constant DEFAULT, or nullable, backfill it, then SET NOT NULL",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at := st.Node.GetAlterTableStmt()
			if at == nil || at.Objtype != pg.ObjectType_OBJECT_TABLE || p.IsNew(at.Relation, st) {
				continue
			}
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				def := cmd.GetDef().GetColumnDef()
				if cmd.GetSubtype() != pg.AlterTableType_AT_AddColumn || def == nil {
					continue
				}
				loc, what, ok := requiredWithoutDefault(def)
				if !ok {
					continue
				}
				p.ReportAt(st, loc, fmt.Sprintf(
					"%s column %q has no default: adding it to existing table %s fails if the table has any row, after waiting for an ACCESS EXCLUSIVE lock",
					what, def.Colname, quoteRel(at.Relation)))
			}
		}
		return nil
	},
}

// requiredWithoutDefault reports whether a new column must be non-null but
// gets no value for the existing rows; loc is its NOT NULL or PRIMARY KEY.
func requiredWithoutDefault(def *pg.ColumnDef) (loc int32, what string, ok bool) {
	if serialTypes[typeLastName(def.TypeName)] || def.Identity != "" || def.Generated != "" {
		return 0, "", false
	}
	if def.RawDefault != nil && !isNullConst(def.RawDefault) {
		return 0, "", false
	}
	loc, what = def.Location, ""
	if def.IsNotNull {
		what = "NOT NULL"
	}
	for _, c := range def.Constraints {
		con := c.GetConstraint()
		switch con.GetContype() {
		case pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
			return 0, "", false
		case pg.ConstrType_CONSTR_DEFAULT:
			if !isNullConst(con.RawExpr) {
				return 0, "", false
			}
		case pg.ConstrType_CONSTR_NOTNULL:
			if what == "" {
				loc, what = con.Location, "NOT NULL"
			}
		case pg.ConstrType_CONSTR_PRIMARY:
			if what == "" {
				loc, what = con.Location, "PRIMARY KEY"
			}
		}
	}
	return loc, what, what != ""
}
