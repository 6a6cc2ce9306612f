package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// DropTable reports DROP TABLE of a table that existed before the migration.
var DropTable = &Rule{
	ID:       "drop-table",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Drop a table only after the code stops using it",
		Text: `DROP TABLE deletes the table with every row, index and trigger on it; with
CASCADE it also drops the views that select from it and the foreign keys that point
at it. Only a backup brings the data back. Deployed code that still reads or writes
the table fails as soon as the migration commits, and during a rolling deploy the
old version of the application is still running. The statement takes an ACCESS
EXCLUSIVE lock, so it also waits behind every query on the table and blocks the
queries that arrive meanwhile. This is the same on every PostgreSQL version.

Dropping a table created earlier in the same migration is safe, and so is a down
script dropping the table its own up script created: that only reverts the
migration. To retire a table, deploy code that no longer uses it, take a backup (or
rename it aside for a release), and drop it in a later migration with
"-- schemagate:ignore drop-table <reason>".`,
		Bad: "DROP TABLE legacy_orders;",
		Good: "-- A table created earlier in the same migration holds nobody's data.\n" +
			"CREATE TABLE import_scratch (id bigint, payload text);\n" +
			"DROP TABLE import_scratch;",
		Help: "deploy code that no longer uses the table first, then drop it in a later migration after a backup",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			for _, obj := range droppedObjects(st, pg.ObjectType_OBJECT_TABLE) {
				schema, name, loc := obj.schema, obj.name, obj.loc
				if p.IsNewName(schema, name, st) || p.CreatedByUp(schema, name) {
					continue
				}
				rv := &pg.RangeVar{Schemaname: schema, Relname: name}
				p.ReportAt(st, loc, fmt.Sprintf("DROP TABLE %s deletes the table and all its rows; deployed code that still uses it fails", quoteRel(rv)))
			}
		}
		return nil
	},
}
