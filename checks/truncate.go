package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// Truncate reports TRUNCATE of a table that existed before the migration.
var Truncate = &Rule{
	ID:       "truncate",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't truncate tables that hold data",
		Text: `TRUNCATE deletes every row of the table at once; only a backup brings them back.
With CASCADE it empties every table whose foreign keys point at it too, and RESTART
IDENTITY resets its sequences. It takes an ACCESS EXCLUSIVE lock, so reads and writes
of the table wait until the migration's transaction ends, and it is not MVCC-safe:
transactions that started earlier see the table empty. This is the same on every
PostgreSQL version.

Truncating a table created earlier in the same migration is safe (it is empty
anyway), and so is a down script truncating a table its own up script created. If
emptying an existing table is really intended, for example a cache, suppress the
finding with "-- schemagate:ignore truncate <reason>".`,
		Bad: "TRUNCATE sessions;",
		Good: "-- Delete only the rows that must go, in batches.\n" +
			"DELETE FROM sessions WHERE id IN (\n" +
			"  SELECT id FROM sessions WHERE expires_at < now() LIMIT 10000\n" +
			");",
		Help: "DELETE the rows that must go in bounded batches, or suppress with the reason the data may be lost",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			tr := st.Node.GetTruncateStmt()
			if tr == nil {
				continue
			}
			for _, r := range tr.Relations {
				rv := r.GetRangeVar()
				if rv == nil || p.IsNew(rv, st) || p.CreatedByUp(rv.Schemaname, rv.Relname) {
					continue
				}
				msg := fmt.Sprintf("TRUNCATE %s deletes every row of the table and blocks its reads and writes until the transaction ends", quoteRel(rv))
				if tr.Behavior == pg.DropBehavior_DROP_CASCADE {
					msg = fmt.Sprintf("TRUNCATE %s CASCADE deletes every row of the table and of the tables that reference it", quoteRel(rv))
				}
				p.ReportAt(st, rv.Location, msg)
			}
		}
		return nil
	},
}
