package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// CreateIndexNonConcurrently reports CREATE INDEX without CONCURRENTLY on a
// table that existed before the migration.
var CreateIndexNonConcurrently = &Rule{
	ID:       "create-index-non-concurrently",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Create indexes on existing tables concurrently",
		Text: `CREATE INDEX takes a SHARE lock on the table: reads go on, but every INSERT,
UPDATE and DELETE waits until the index is built, which on a large table takes
minutes. CREATE INDEX CONCURRENTLY builds the index in several passes under a SHARE
UPDATE EXCLUSIVE lock, which does not block writes. It cannot run inside a
transaction, so it belongs in a migration of its own that the tool runs without one
(goose "-- +goose NO TRANSACTION", dbmate "transaction:false", Alembic
"with op.get_context().autocommit_block()").

An index on a table created earlier in the same migration is safe: the table is
empty and nobody uses it yet. A failed concurrent build leaves an INVALID index
behind: drop it and retry.

Suppress with "-- schemagate:ignore create-index-non-concurrently <reason>" when the
table is known to be small or unused.`,
		Bad: "CREATE INDEX users_email_idx ON users (email);",
		Good: "-- +goose NO TRANSACTION\n" +
			"CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
		Help: "CREATE INDEX CONCURRENTLY ... in a migration of its own, outside a transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			idx := st.Node.GetIndexStmt()
			if idx == nil || idx.Concurrent || p.IsNew(idx.Relation, st) {
				continue
			}
			kind := "CREATE INDEX"
			if idx.Unique {
				kind = "CREATE UNIQUE INDEX"
			}
			p.ReportAt(st, -1, fmt.Sprintf("%s on existing table %s blocks writes until it finishes", kind, quoteRel(idx.Relation)))
		}
		return nil
	},
}

// quoteRel names a relation for messages: "users" or "audit"."log".
func quoteRel(rv *pg.RangeVar) string {
	if rv == nil {
		return `""`
	}
	if rv.Schemaname != "" {
		return fmt.Sprintf("%q.%q", rv.Schemaname, rv.Relname)
	}
	return fmt.Sprintf("%q", rv.Relname)
}
