package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// ConcurrentlyInTransaction reports the CONCURRENTLY forms of CREATE INDEX,
// DROP INDEX, REINDEX and DETACH PARTITION where they run inside a
// transaction block, which PostgreSQL refuses.
var ConcurrentlyInTransaction = &Rule{
	ID:       "concurrently-in-transaction",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Run CONCURRENTLY statements outside a transaction",
		Text: `CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY
(PostgreSQL 12+) and ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL
14+) commit several times while they work, so PostgreSQL refuses to start them inside
a transaction block: the statement fails with "cannot run inside a transaction
block" and the migration stops there. No lock is the problem here; the migration
simply cannot be applied.

A statement runs inside a transaction block when the migration tool wraps the
migration in one (goose, dbmate, sql-migrate, Flyway, diesel and Alembic do so by
default), when golang-migrate sends a file of several statements as one query (an
implicit transaction), after an explicit BEGIN, and always inside a DO block or a
function.

Each tool has a way out: goose "-- +goose NO TRANSACTION", dbmate
"-- migrate:up transaction:false", sql-migrate "-- +migrate Up notransaction",
golang-migrate a file that holds the statement alone, Alembic
"with op.get_context().autocommit_block():", diesel "run_in_transaction = false" in
metadata.toml, Flyway "executeInTransaction=false". Keep such a statement in a
migration of its own, so that a failure leaves nothing half applied.

Suppress with "-- schemagate:ignore concurrently-in-transaction <reason>" only when
the tool is known to run this statement outside a transaction by other means.`,
		Bad: "BEGIN;\n" +
			"CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n" +
			"COMMIT;",
		Good: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
		Help: "run the statement in a migration of its own that the tool runs outside a transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			if !st.InTx {
				continue
			}
			what, loc := concurrentStatement(st.Node)
			if what == "" {
				continue
			}
			why, help := txCause(p, st)
			p.ReportHelp(st, loc,
				fmt.Sprintf("%s runs %s: PostgreSQL refuses it (\"cannot run inside a transaction block\") and the migration fails", what, why),
				help)
		}
		return nil
	},
}

// concurrentStatement describes a statement that uses CONCURRENTLY, and the
// location to report it at; "" when it does not.
func concurrentStatement(n *pg.Node) (string, int32) {
	switch n := n.GetNode().(type) {
	case *pg.Node_IndexStmt:
		idx := n.IndexStmt
		if !idx.Concurrent {
			return "", -1
		}
		what := "CREATE INDEX CONCURRENTLY"
		if idx.Unique {
			what = "CREATE UNIQUE INDEX CONCURRENTLY"
		}
		if idx.Idxname != "" {
			what += fmt.Sprintf(" %q", idx.Idxname)
		}
		return what + " on " + quoteRel(idx.Relation), -1
	case *pg.Node_DropStmt:
		d := n.DropStmt
		if !d.Concurrent || d.RemoveType != pg.ObjectType_OBJECT_INDEX {
			return "", -1
		}
		what := "DROP INDEX CONCURRENTLY"
		if len(d.Objects) > 0 {
			if schema, name := droppedIndexName(d.Objects[0]); name != "" {
				what += " " + quoteQualified(schema, name)
			}
		}
		return what, -1
	case *pg.Node_ReindexStmt:
		r := n.ReindexStmt
		loc, ok := reindexConcurrently(r)
		if !ok {
			return "", -1
		}
		what := "REINDEX CONCURRENTLY"
		if r.Relation != nil {
			what += " " + quoteRel(r.Relation)
		} else if r.Name != "" {
			what += fmt.Sprintf(" %q", r.Name)
		}
		return what, loc
	case *pg.Node_AlterTableStmt:
		for _, c := range n.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_DetachPartition {
				continue
			}
			pc := cmd.GetDef().GetPartitionCmd()
			if pc == nil || !pc.Concurrent {
				continue
			}
			loc := int32(-1)
			if pc.Name != nil {
				loc = pc.Name.Location
			}
			return fmt.Sprintf("DETACH PARTITION %s CONCURRENTLY from %s", quoteRel(pc.Name), quoteRel(n.AlterTableStmt.Relation)), loc
		}
	}
	return "", -1
}
