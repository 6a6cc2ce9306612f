package checks

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// DropIndexNonConcurrently reports DROP INDEX without CONCURRENTLY on an
// index that existed before the migration.
var DropIndexNonConcurrently = &Rule{
	ID:       "drop-index-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Drop indexes concurrently",
		Text: `A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table the index belongs
to. Removing the index is quick, but the lock has to wait for every transaction that
touches the table, and while it waits every later SELECT, INSERT, UPDATE and DELETE
on the table queues behind it: one long-running query turns a harmless drop into an
outage. This holds for every PostgreSQL version.

DROP INDEX CONCURRENTLY (PostgreSQL 9.2 and later) waits for the transactions using
the index to finish without blocking anybody. It drops one index per statement, does
not accept CASCADE, and cannot run inside a transaction, so it belongs in a migration
that the tool runs without one.

Dropping an index created earlier in the same migration is not reported: nobody
uses it yet.

Suppress with "-- schemagate:ignore drop-index-non-concurrently <reason>" when the
table is known to be small or idle.`,
		Bad:  "DROP INDEX users_email_idx;",
		Good: "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;",
		Help: "DROP INDEX CONCURRENTLY, one index per statement, in a migration that runs outside a transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			d := st.Node.GetDropStmt()
			if d == nil || d.RemoveType != pg.ObjectType_OBJECT_INDEX || d.Concurrent {
				continue
			}
			var names []string
			for _, o := range d.Objects {
				schema, name := droppedIndexName(o)
				if name == "" || p.IsNewName(schema, name, st) {
					continue
				}
				names = append(names, quoteQualified(schema, name))
			}
			if len(names) == 0 {
				continue
			}
			what, table := "DROP INDEX "+names[0], "its table"
			if len(names) > 1 {
				what, table = "DROP INDEX "+strings.Join(names, ", "), "their tables"
			}
			p.ReportAt(st, -1, fmt.Sprintf("%s without CONCURRENTLY takes ACCESS EXCLUSIVE on %s, blocking reads and writes while it waits for the lock", what, table))
		}
		return nil
	},
}

// droppedIndexName reads the schema and name of one object of DROP INDEX.
func droppedIndexName(o *pg.Node) (schema, name string) {
	items := o.GetList().GetItems()
	switch len(items) {
	case 1:
		return "", items[0].GetString_().GetSval()
	case 2:
		return items[0].GetString_().GetSval(), items[1].GetString_().GetSval()
	case 3: // database.schema.name
		return items[1].GetString_().GetSval(), items[2].GetString_().GetSval()
	}
	return "", ""
}
