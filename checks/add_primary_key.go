package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddPrimaryKey reports a primary key that builds its index on an existing
// table while the table is locked.
var AddPrimaryKey = &Rule{
	ID:       "add-primary-key",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Add primary keys with an index built concurrently",
		Text: `ALTER TABLE ... ADD PRIMARY KEY takes an ACCESS EXCLUSIVE lock on the table, marks
the key columns NOT NULL (reading every row to prove it unless they already are),
and builds a unique index over the whole table before it returns. For all that time
nothing can read or write the table, on every PostgreSQL version. ADD COLUMN ...
PRIMARY KEY on an existing table does the same, and usually rewrites the table to
fill the new column as well.

The online sequence: make the key columns NOT NULL without a long lock (see
set-not-null), build the index with CREATE UNIQUE INDEX CONCURRENTLY in a migration
that runs outside a transaction, then ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY
USING INDEX, which only updates the catalog. USING INDEX on a column that is still
nullable would scan the table to set NOT NULL, so do that step first.

A primary key on a table created earlier in the same migration, or inside CREATE
TABLE, is not reported.

Suppress with "-- schemagate:ignore add-primary-key <reason>" when the table is
small.`,
		Bad: "ALTER TABLE events ADD PRIMARY KEY (id);",
		Good: "CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\n" +
			"ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;",
		Help: "CREATE UNIQUE INDEX CONCURRENTLY outside a transaction on NOT NULL columns, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at, cmds := alteredTable(st)
			if at == nil || p.IsNew(at.Relation, st) {
				continue
			}
			for _, ac := range constraintsAdded(cmds, pg.ConstrType_CONSTR_PRIMARY) {
				c := ac.Con
				if c.Indexname != "" {
					continue
				}
				if ac.Column != nil {
					p.ReportHelp(st, c.Location, fmt.Sprintf(
						"ADD COLUMN %q ... PRIMARY KEY on %s builds a unique index over the whole table while holding ACCESS EXCLUSIVE on %s, blocking reads and writes",
						ac.Column.Colname, quoteRel(at.Relation), quoteRel(at.Relation)),
						"add the column without PRIMARY KEY, fill it and make it NOT NULL, then CREATE UNIQUE INDEX CONCURRENTLY outside a transaction and ADD CONSTRAINT ... PRIMARY KEY USING INDEX")
					continue
				}
				what := addConstraintLabel(c, "PRIMARY KEY")
				if len(c.Keys) > 0 {
					what += " " + quoteColumns(c.Keys)
				}
				p.ReportAt(st, c.Location, fmt.Sprintf(
					"%s on %s checks the columns for NULLs and builds a unique index while holding ACCESS EXCLUSIVE on %s, blocking reads and writes",
					what, quoteRel(at.Relation), quoteRel(at.Relation)))
			}
		}
		return nil
	},
}
