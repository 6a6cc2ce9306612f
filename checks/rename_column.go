package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// RenameColumn reports renaming a column that existed before the migration.
var RenameColumn = &Rule{
	ID:       "rename-column",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't rename columns that deployed code uses",
		Text: `ALTER TABLE ... RENAME COLUMN only changes the catalog and is fast, but it needs an
ACCESS EXCLUSIVE lock on the table, and from the moment it commits every query that
names the old column fails, as does an ORM that maps it. Code using the new name
cannot be deployed at exactly the same instant, and during a rolling deploy the
previous release keeps running for a while, so one of the two versions is always
broken. Views, indexes and constraints follow the column, since PostgreSQL tracks
them by number rather than by name. This is the same on every PostgreSQL version.

Renaming a column added earlier in the same migration, or on a table created in it, is
safe. To rename one that is in use: add the new column, have the code write both and
backfill it, move the readers, then drop the old column in a later migration; or
suppress with "-- schemagate:ignore rename-column <reason>".`,
		Bad:  "ALTER TABLE users RENAME COLUMN mail TO email;",
		Good: "ALTER TABLE users ADD COLUMN email text;",
		Help: "add the new column, write both and backfill, move the readers, then drop the old column later",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			rn := st.Node.GetRenameStmt()
			if rn == nil || rn.RenameType != pg.ObjectType_OBJECT_COLUMN || rn.Relation == nil {
				continue
			}
			if renamedRelationKind(rn.RelationType) == "" || p.ColumnIsNew(rn.Relation, rn.Subname, st) {
				continue
			}
			loc := nameLoc(stmtIdents(st), rn.Subname, rn.Relation.Location)
			if loc < 0 {
				loc = rn.Relation.Location
			}
			p.ReportAt(st, loc, fmt.Sprintf("RENAME COLUMN %s TO %q breaks deployed code that still uses the old name",
				quoteCol(rn.Relation, rn.Subname), rn.Newname))
		}
		return nil
	},
}
