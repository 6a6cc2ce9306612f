package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddCheckValidated reports a CHECK constraint added to an existing table
// without NOT VALID, and one validated in the transaction that added it.
var AddCheckValidated = &Rule{
	ID:       "add-check-validated",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Add CHECK constraints NOT VALID, validate them later",
		Text: `ALTER TABLE ... ADD CONSTRAINT ... CHECK takes an ACCESS EXCLUSIVE lock on the
table and evaluates the condition on every existing row before it returns. For the
whole scan nothing can read or write the table, on every PostgreSQL version.

Added with NOT VALID (PostgreSQL 9.2 and later), the constraint applies to new and
updated rows at once and the statement needs no scan, so the lock lasts a moment.
ALTER TABLE ... VALIDATE CONSTRAINT then checks the old rows under SHARE UPDATE
EXCLUSIVE, which lets reads and writes go on. The VALIDATE must run in a later
transaction, best a later migration: in the transaction of the ADD, the ACCESS
EXCLUSIVE lock is still held during the scan, and this rule reports the VALIDATE.

A validated CHECK (col IS NOT NULL) also lets a later SET NOT NULL skip its scan on
PostgreSQL 12 and later (see set-not-null).

A CHECK on a table created earlier in the same migration, or inside CREATE TABLE, is
not reported. CHECK clauses written on ADD COLUMN are left to other rules.

Suppress with "-- schemagate:ignore add-check-validated <reason>" when the table is
small.`,
		Bad: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
		Good: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n" +
			"-- later, outside the transaction of the ADD:\n" +
			"ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
		Help: "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at, cmds := alteredTable(st)
			if at == nil || p.IsNew(at.Relation, st) {
				continue
			}
			for _, ac := range constraintsAdded(cmds, pg.ConstrType_CONSTR_CHECK) {
				c := ac.Con
				if ac.Column != nil {
					continue
				}
				if !c.SkipValidation {
					p.ReportAt(st, c.Location, fmt.Sprintf("%s on %s scans every row while holding ACCESS EXCLUSIVE on %s, blocking reads and writes",
						addConstraintLabel(c, "CHECK"), quoteRel(at.Relation), quoteRel(at.Relation)))
					continue
				}
				if v := validatedInSameTx(p, st, at, c.Conname); v != nil {
					p.ReportHelp(v, validateLocation(v, st, c), fmt.Sprintf(
						"VALIDATE CONSTRAINT %q runs in the transaction that added it NOT VALID, so the lock ADD CHECK took (ACCESS EXCLUSIVE on %s) is held while every row is scanned",
						c.Conname, quoteRel(at.Relation)),
						"move VALIDATE CONSTRAINT to a later migration, or at least after the COMMIT of the ADD")
				}
			}
		}
		return nil
	},
}
