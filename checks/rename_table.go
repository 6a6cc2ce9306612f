package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// RenameTable reports renaming a table (or a view) that existed before the
// migration.
var RenameTable = &Rule{
	ID:       "rename-table",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't rename tables that deployed code uses",
		Text: `ALTER TABLE ... RENAME TO only changes the catalog and is fast, but it needs an
ACCESS EXCLUSIVE lock on the table, and from the moment it commits every query that
uses the old name fails. The code that uses the new name cannot be deployed at
exactly the same instant, and during a rolling deploy the previous release keeps
running for a while, so one of the two versions is always broken. Views, foreign
keys and indexes follow the table, since PostgreSQL tracks them by OID rather than by
name. The rule covers renamed views, materialized views and foreign tables too. This
is the same on every PostgreSQL version.

Renaming a table created earlier in the same migration is safe: no deployed code uses
it yet. To rename one that is in use, rename it and create a view with the old name
over it in the same transaction (a simple view is updatable since PostgreSQL 9.3),
move the code to the new name, and drop the view in a later migration (or create the
view under the new name first, and swap them once the code has moved); or suppress
with "-- schemagate:ignore rename-table <reason>".`,
		Bad: "ALTER TABLE customers RENAME TO accounts;",
		Good: "-- Expand: give the table its new name as an updatable view, move the\n" +
			"-- code to it, then swap table and view in a later migration.\n" +
			"CREATE VIEW accounts AS SELECT * FROM customers;",
		Help: "rename and CREATE VIEW <old name> over the table in one transaction; drop the view once no code uses the old name",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			rn := st.Node.GetRenameStmt()
			if rn == nil || rn.Relation == nil {
				continue
			}
			kind := renamedRelationKind(rn.RenameType)
			if kind == "" || p.IsNew(rn.Relation, st) {
				continue
			}
			p.ReportAt(st, rn.Relation.Location, fmt.Sprintf("%s %s RENAME TO %q breaks deployed code that still uses the old name",
				kind, quoteRel(rn.Relation), rn.Newname))
		}
		return nil
	},
}

// renamedRelationKind is the ALTER command for the relations that clients
// query by name, or "" for other objects.
func renamedRelationKind(t pg.ObjectType) string {
	switch t {
	case pg.ObjectType_OBJECT_TABLE:
		return "ALTER TABLE"
	case pg.ObjectType_OBJECT_VIEW:
		return "ALTER VIEW"
	case pg.ObjectType_OBJECT_MATVIEW:
		return "ALTER MATERIALIZED VIEW"
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return "ALTER FOREIGN TABLE"
	}
	return ""
}
