package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// Cluster reports CLUSTER on tables that existed before the migration.
var Cluster = &Rule{
	ID:       "cluster",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Do not run CLUSTER in a migration",
		Text: `CLUSTER rewrites the table in the order of an index, and rebuilds all its indexes,
while it holds an ACCESS EXCLUSIVE lock: every read and write of the table waits
until the copy is done, which on a large table takes minutes to hours. This holds
for every supported PostgreSQL version. Without a table name, CLUSTER processes
every table that was clustered before, in turn. The order is not maintained
afterwards, so the benefit fades as rows change.

ALTER TABLE ... CLUSTER ON only records the index, under a SHARE UPDATE EXCLUSIVE
lock, and is not reported. To reorder a live table, run pg_repack (--order-by) or
pg_squeeze outside the migration. CLUSTER of a table created earlier in the same
migration is not reported. Suppress with
"-- schemagate:ignore cluster <reason>" when the table is small or the application
is down.`,
		Bad: "CLUSTER events USING events_created_at_idx;",
		Good: "SET lock_timeout = '5s';\n" +
			"-- record the order only; reorder online with pg_repack --order-by\n" +
			"ALTER TABLE events CLUSTER ON events_created_at_idx;",
		Help: "reorder the table with pg_repack --order-by outside the migration",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			c := st.Node.GetClusterStmt()
			switch {
			case c == nil:
			case c.Relation == nil:
				p.ReportAt(st, -1, "CLUSTER without a table rewrites every previously clustered table in turn, each under ACCESS EXCLUSIVE lock, blocking its reads and writes")
			case !p.IsNew(c.Relation, st):
				p.ReportAt(st, c.Relation.Location, fmt.Sprintf("CLUSTER rewrites %s under ACCESS EXCLUSIVE lock, blocking its reads and writes until the copy is done", quoteRel(c.Relation)))
			}
		}
		return nil
	},
}
