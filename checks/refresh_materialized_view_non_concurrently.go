package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// RefreshMaterializedViewNonConcurrently reports REFRESH MATERIALIZED VIEW
// without CONCURRENTLY on a view that existed before the migration.
var RefreshMaterializedViewNonConcurrently = &Rule{
	ID:       "refresh-materialized-view-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Refresh materialized views concurrently",
		Text: `REFRESH MATERIALIZED VIEW takes an ACCESS EXCLUSIVE lock on the view and holds it
while the view's query runs and its result replaces the old contents: every
SELECT from the view waits until the refresh is done. REFRESH MATERIALIZED VIEW
CONCURRENTLY (PostgreSQL 9.4 and later) computes the new contents beside the old
ones and merges the difference under an EXCLUSIVE lock, which lets reads go on.
It needs a unique index on the view (on plain columns, without a WHERE clause)
and a view that is already populated; it does more work than a plain refresh.

REFRESH ... WITH NO DATA is reported too: it is quick, but it takes the same
ACCESS EXCLUSIVE lock and leaves the view unpopulated, so queries on it fail
until the next refresh.

A view created earlier in the same migration is not reported: nobody reads it
yet. Suppress with
"-- schemagate:ignore refresh-materialized-view-non-concurrently <reason>" when
the view is small or has no readers.`,
		Bad: "REFRESH MATERIALIZED VIEW daily_sales;",
		Good: "CREATE UNIQUE INDEX CONCURRENTLY daily_sales_day_key ON daily_sales (day);\n" +
			"REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;",
		Help: "create a unique index on the view, then REFRESH MATERIALIZED VIEW CONCURRENTLY",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			r := st.Node.GetRefreshMatViewStmt()
			if r == nil || r.Concurrent || p.IsNew(r.Relation, st) {
				continue
			}
			msg := fmt.Sprintf("REFRESH MATERIALIZED VIEW %s without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on it, blocking its reads until the refresh is done", quoteRel(r.Relation))
			if r.SkipData {
				msg = fmt.Sprintf("REFRESH MATERIALIZED VIEW %s WITH NO DATA takes an ACCESS EXCLUSIVE lock on it and leaves it unpopulated: queries on it fail until the next refresh", quoteRel(r.Relation))
			}
			p.ReportAt(st, r.Relation.GetLocation(), msg)
		}
		return nil
	},
}
