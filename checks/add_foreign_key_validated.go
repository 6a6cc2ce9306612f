package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddForeignKeyValidated reports a foreign key added to an existing table
// without NOT VALID, and one validated in the transaction that added it.
var AddForeignKeyValidated = &Rule{
	ID:       "add-foreign-key-validated",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Add foreign keys NOT VALID, validate them later",
		Text: `ALTER TABLE ... ADD FOREIGN KEY takes a SHARE ROW EXCLUSIVE lock on the table and
on the table it references (PostgreSQL 9.5 and later; ACCESS EXCLUSIVE before), then
looks up every existing row in the referenced table. Until that check ends, nobody
can INSERT, UPDATE or DELETE in either table.

Added with NOT VALID, the constraint holds for new and updated rows at once and the
statement returns without a scan. ALTER TABLE ... VALIDATE CONSTRAINT then checks the
old rows under SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on the referenced
one, which block no reads or writes. The VALIDATE must run in a later transaction,
best a later migration: in the transaction of the ADD, the ADD's lock is still held
while VALIDATE scans, and this rule reports the VALIDATE.

A foreign key on a table created earlier in the same migration, or inside CREATE
TABLE, is not reported. ADD COLUMN ... REFERENCES is reported only when the same
ALTER TABLE also adds a column with a default or a FOREIGN KEY constraint: otherwise
the new column is all NULL and PostgreSQL skips the check.

Suppress with "-- schemagate:ignore add-foreign-key-validated <reason>" when both
tables are small.`,
		Bad: "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey\n" +
			"    FOREIGN KEY (user_id) REFERENCES users (id);",
		Good: "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey\n" +
			"    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n" +
			"-- later, outside the transaction of the ADD:\n" +
			"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;",
		Help: "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later migration",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at, cmds := alteredTable(st)
			if at == nil || p.IsNew(at.Relation, st) {
				continue
			}
			why := columnForeignKeysValidated(cmds)
			for _, ac := range constraintsAdded(cmds, pg.ConstrType_CONSTR_FOREIGN) {
				c := ac.Con
				locks := fmt.Sprintf("SHARE ROW EXCLUSIVE on %s and %s", quoteRel(at.Relation), quoteRel(c.Pktable))
				if sameRel(at.Relation, c.Pktable) {
					locks = "SHARE ROW EXCLUSIVE on " + quoteRel(at.Relation)
				}
				switch {
				case ac.Column != nil:
					if why == "" {
						continue
					}
					p.ReportHelp(st, c.Location, fmt.Sprintf(
						"ADD COLUMN %q REFERENCES %s on %s validates every row (%s) while holding ACCESS EXCLUSIVE on %s and SHARE ROW EXCLUSIVE on %s",
						ac.Column.Colname, quoteRel(c.Pktable), quoteRel(at.Relation), why, quoteRel(at.Relation), quoteRel(c.Pktable)),
						"add the column without a default, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT in a later migration")
				case !c.SkipValidation:
					p.ReportAt(st, c.Location, fmt.Sprintf("%s on %s validates every row while holding %s, blocking writes",
						addConstraintLabel(c, "FOREIGN KEY"), quoteRel(at.Relation), locks))
				default:
					if v := validatedInSameTx(p, st, at, c.Conname); v != nil {
						p.ReportHelp(v, validateLocation(v, st, c), fmt.Sprintf(
							"VALIDATE CONSTRAINT %q runs in the transaction that added it NOT VALID, so the lock ADD FOREIGN KEY took (%s) is held while every row is checked",
							c.Conname, locks),
							"move VALIDATE CONSTRAINT to a later migration, or at least after the COMMIT of the ADD")
					}
				}
			}
		}
		return nil
	},
}

// columnForeignKeysValidated says why PostgreSQL checks the existing rows
// for the REFERENCES clauses of ADD COLUMN in one ALTER TABLE, "" when it
// does not: it does only when the statement adds a column with a default
// (serial and generated columns included) or a FOREIGN KEY constraint.
func columnForeignKeysValidated(cmds []*pg.AlterTableCmd) string {
	for _, cmd := range cmds {
		switch cmd.Subtype {
		case pg.AlterTableType_AT_AddConstraint:
			if c := cmd.GetDef().GetConstraint(); c != nil && c.Contype == pg.ConstrType_CONSTR_FOREIGN {
				return "the statement also adds a FOREIGN KEY constraint"
			}
		case pg.AlterTableType_AT_AddColumn:
			def := cmd.GetDef().GetColumnDef()
			if def == nil {
				continue
			}
			if def.RawDefault != nil || isSerialType(def.TypeName) {
				return fmt.Sprintf("the statement gives column %q a default", def.Colname)
			}
			for _, n := range def.Constraints {
				switch n.GetConstraint().GetContype() {
				case pg.ConstrType_CONSTR_DEFAULT, pg.ConstrType_CONSTR_GENERATED:
					return fmt.Sprintf("the statement gives column %q a default", def.Colname)
				}
			}
		}
	}
	return ""
}

func isSerialType(t *pg.TypeName) bool {
	if t == nil || len(t.Names) == 0 || len(t.ArrayBounds) > 0 {
		return false
	}
	switch t.Names[len(t.Names)-1].GetString_().GetSval() {
	case "serial", "serial2", "serial4", "serial8", "smallserial", "bigserial":
		return true
	}
	return false
}

// addConstraintLabel names an added constraint in messages:
// `ADD CONSTRAINT "name" CHECK` or `ADD CHECK`.
func addConstraintLabel(c *pg.Constraint, kind string) string {
	if c.Conname != "" {
		return fmt.Sprintf("ADD CONSTRAINT %q %s", c.Conname, kind)
	}
	return "ADD " + kind
}

// validateLocation is where to report a VALIDATE: at the statement, or at
// the constraint when one ALTER TABLE both adds and validates it.
func validateLocation(v, add *Stmt, c *pg.Constraint) int32 {
	if v == add {
		return c.Location
	}
	return -1
}
