package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// DropColumn reports ALTER TABLE ... DROP COLUMN of a column that existed
// before the migration.
var DropColumn = &Rule{
	ID:       "drop-column",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Drop a column only after the code stops using it",
		Text: `ALTER TABLE ... DROP COLUMN deletes the column's data for good, along with the
indexes and constraints that use it (and, with CASCADE, the views and foreign keys
that depend on it). The table is not
rewritten, the column is only hidden, but the statement needs an ACCESS EXCLUSIVE lock
on the table, so it waits behind running queries and blocks everything queued after
it. The real danger is deployed code: any query that names the column, and any ORM
that lists every mapped column in its SELECT and INSERT statements, fails as soon as
the migration commits, including the previous release during a rolling deploy. This
is the same on every PostgreSQL version.

Dropping a column added earlier in the same migration, or on a table created in it,
is safe; so is a down script dropping the column its own up script added. To retire a
column, stop reading and writing it (tell the ORM to ignore it), deploy, then drop it
in a later migration with "-- schemagate:ignore drop-column <reason>".`,
		Bad: "ALTER TABLE users DROP COLUMN legacy_email;",
		Good: "-- Step one: let the code stop writing the column. Drop it in a later\n" +
			"-- migration, once no deployed code reads it.\n" +
			"ALTER TABLE users ALTER COLUMN legacy_email DROP NOT NULL;",
		Help: "stop reading and writing the column and deploy first, then drop it in a later migration",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at := st.Node.GetAlterTableStmt()
			if at == nil || at.Relation == nil {
				continue
			}
			var idents []sqlIdent
			after := at.Relation.Location
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_DropColumn {
					continue
				}
				if idents == nil {
					idents = stmtIdents(st)
				}
				loc := nameLoc(idents, cmd.Name, after)
				if loc >= 0 {
					after = loc
				}
				if p.ColumnIsNew(at.Relation, cmd.Name, st) || p.ColumnCreatedByUp(at.Relation, cmd.Name) {
					continue
				}
				p.ReportAt(st, loc, fmt.Sprintf("DROP COLUMN %s deletes the column's data; deployed code that still reads it fails", quoteCol(at.Relation, cmd.Name)))
			}
		}
		return nil
	},
}
