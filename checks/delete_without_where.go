package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// DeleteWithoutWhere reports DELETE without WHERE on a table that existed
// before the migration.
var DeleteWithoutWhere = &Rule{
	ID:       "delete-without-where",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't DELETE every row of a table",
		Text: `DELETE without a WHERE clause deletes every row of the table, and DELETE ... USING
without one deletes every row that joins with anything, which is usually all of
them. Unless it is deliberate, the data is lost. Even when it is deliberate, one
statement deleting a large table locks every row until the transaction commits,
writes all of them to the WAL (replicas fall behind) and leaves the table bloated
until vacuum catches up. This is the same on every PostgreSQL version.

A DELETE on a table created earlier in the same migration is safe, and so is one in a
down script on a table that its own up script created. For intended purges, delete in
batches with a WHERE clause, or suppress the finding with
"-- schemagate:ignore delete-without-where <reason>".`,
		Bad: "DELETE FROM sessions;",
		Good: "DELETE FROM sessions WHERE id IN (\n" +
			"  SELECT id FROM sessions WHERE expires_at < now() LIMIT 10000\n" +
			");",
		Help: "add a WHERE clause that names the rows to delete, and delete large sets in batches",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			dmlNodes(st.Node, func(n *pg.Node) {
				del := n.GetDeleteStmt()
				if del == nil || del.WhereClause != nil || del.Relation == nil || p.IsNew(del.Relation, st) || p.CreatedByUp(del.Relation.Schemaname, del.Relation.Relname) {
					return
				}
				p.ReportAt(st, del.Relation.Location, fmt.Sprintf("DELETE FROM %s without WHERE deletes every row of the table", quoteRel(del.Relation)))
			})
		}
		return nil
	},
}
