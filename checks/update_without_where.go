package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// UpdateWithoutWhere reports UPDATE without WHERE on a table that existed
// before the migration.
var UpdateWithoutWhere = &Rule{
	ID:       "update-without-where",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Update large tables in batches, not in one statement",
		Text: `UPDATE without a WHERE clause changes every row of the table. PostgreSQL writes a
new version of each row, so the table grows by a second copy of itself until vacuum
reclaims the old versions, the WAL grows by as much (replicas fall behind), and
every row stays locked until the transaction commits: any other UPDATE or DELETE of
the table, and foreign key checks against it, wait that long. A mistaken UPDATE
without WHERE also overwrites data that cannot be recovered. This is the same on
every PostgreSQL version.

An UPDATE on a table created earlier in the same migration is safe, and so is one in
a down script on a table that its own up script created. Backfill existing tables in
batches of bounded size, each in its own transaction, or suppress the finding for a
table known to be small with "-- schemagate:ignore update-without-where <reason>".`,
		Bad: "UPDATE users SET plan = 'free';",
		Good: "UPDATE users SET plan = 'free'\n" +
			"WHERE id IN (SELECT id FROM users WHERE plan IS NULL LIMIT 10000);",
		Help: "update in batches of bounded size (WHERE id BETWEEN ...), each in its own transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			dmlNodes(st.Node, func(n *pg.Node) {
				up := n.GetUpdateStmt()
				if up == nil || up.WhereClause != nil || up.Relation == nil || p.IsNew(up.Relation, st) || p.CreatedByUp(up.Relation.Schemaname, up.Relation.Relname) {
					return
				}
				p.ReportAt(st, up.Relation.Location, fmt.Sprintf("UPDATE %s without WHERE rewrites every row and keeps them all locked until the transaction ends", quoteRel(up.Relation)))
			})
		}
		return nil
	},
}
