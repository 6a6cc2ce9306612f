package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddUniqueConstraint reports a UNIQUE constraint that builds its index on
// an existing table while the table is locked.
var AddUniqueConstraint = &Rule{
	ID:       "add-unique-constraint",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Add UNIQUE constraints with an index built concurrently",
		Text: `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE takes an ACCESS EXCLUSIVE lock on the
table and builds the constraint's unique index before it returns, reading every row.
For the whole build nothing can read or write the table, on every PostgreSQL
version. ADD COLUMN ... UNIQUE on an existing table does the same.

Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, which blocks no writes
(in a migration that runs outside a transaction), then turn it into the constraint
with ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX, which only updates the
catalog under a brief lock. If the concurrent build fails on duplicates it leaves an
INVALID index: drop it, fix the data, retry.

A UNIQUE constraint on a table created earlier in the same migration, or inside
CREATE TABLE, is not reported.

Suppress with "-- schemagate:ignore add-unique-constraint <reason>" when the table is
small.`,
		Bad: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
		Good: "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n" +
			"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
		Help: "CREATE UNIQUE INDEX CONCURRENTLY outside a transaction, then ADD CONSTRAINT ... UNIQUE USING INDEX",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at, cmds := alteredTable(st)
			if at == nil || p.IsNew(at.Relation, st) {
				continue
			}
			for _, ac := range constraintsAdded(cmds, pg.ConstrType_CONSTR_UNIQUE) {
				c := ac.Con
				if c.Indexname != "" {
					continue
				}
				what := addConstraintLabel(c, "UNIQUE")
				if len(c.Keys) > 0 {
					what += " " + quoteColumns(c.Keys)
				}
				help := ""
				if ac.Column != nil {
					what = fmt.Sprintf("ADD COLUMN %q ... UNIQUE", ac.Column.Colname)
					help = "add the column without UNIQUE, then CREATE UNIQUE INDEX CONCURRENTLY outside a transaction and ADD CONSTRAINT ... UNIQUE USING INDEX"
				}
				p.ReportHelp(st, c.Location, fmt.Sprintf("%s on %s builds a unique index while holding ACCESS EXCLUSIVE on %s, blocking reads and writes",
					what, quoteRel(at.Relation), quoteRel(at.Relation)), help)
			}
		}
		return nil
	},
}
