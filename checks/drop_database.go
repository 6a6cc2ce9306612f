package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// DropDatabase reports every DROP DATABASE.
var DropDatabase = &Rule{
	ID:       "drop-database",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't drop databases in migrations",
		Text: `DROP DATABASE deletes a whole database, every schema and row in it, and cannot
be undone without a backup. It cannot run inside a transaction block, so a migration
tool that wraps migrations in transactions fails on it, and it fails while any other
session is connected, unless WITH (FORCE) (PostgreSQL 13 and later) terminates those
sessions first. A schema migration has no business dropping databases: that belongs
to provisioning, not to the history of one database's schema.

The rule reports every DROP DATABASE. In a script that only sets up throwaway test
databases, suppress it with "-- schemagate:ignore drop-database <reason>".`,
		Bad: "DROP DATABASE analytics;",
		Good: "-- Retire data inside the database the migrations manage; provisioning,\n" +
			"-- not migrations, creates and drops databases.\n" +
			"CREATE SCHEMA archive;",
		Help: "drop databases from provisioning scripts, not from schema migrations",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			db := st.Node.GetDropdbStmt()
			if db == nil {
				continue
			}
			p.ReportAt(st, -1, fmt.Sprintf("DROP DATABASE %q deletes the whole database and every row in it", db.Dbname))
		}
		return nil
	},
}
