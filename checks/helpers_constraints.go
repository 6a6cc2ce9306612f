package checks

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/migrations"
)

// Helpers shared by the locking rules about indexes and constraints
// (add-*-validated, add-unique-constraint, add-primary-key, set-not-null,
// drop-index-non-concurrently, reindex-non-concurrently,
// concurrently-in-transaction).

// addedConstraint is a constraint that an ALTER TABLE statement adds, with
// ADD CONSTRAINT or on a column of ADD COLUMN (Column is then that column).
type addedConstraint struct {
	Con    *pg.Constraint
	Column *pg.ColumnDef
}

// alteredTable returns the ALTER TABLE statement of st and its subcommands
// when st alters a table, nil otherwise.
func alteredTable(st *Stmt) (*pg.AlterTableStmt, []*pg.AlterTableCmd) {
	at := st.Node.GetAlterTableStmt()
	if at == nil || at.Relation == nil || at.Objtype != pg.ObjectType_OBJECT_TABLE {
		return nil, nil
	}
	var cmds []*pg.AlterTableCmd
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return at, cmds
}

// constraintsAdded lists the constraints of the given types that an ALTER
// TABLE statement adds.
func constraintsAdded(cmds []*pg.AlterTableCmd, types ...pg.ConstrType) []addedConstraint {
	want := func(c *pg.Constraint) bool {
		for _, t := range types {
			if c.Contype == t {
				return true
			}
		}
		return false
	}
	var out []addedConstraint
	for _, cmd := range cmds {
		switch cmd.Subtype {
		case pg.AlterTableType_AT_AddConstraint:
			if c := cmd.GetDef().GetConstraint(); c != nil && want(c) {
				out = append(out, addedConstraint{Con: c})
			}
		case pg.AlterTableType_AT_AddColumn:
			def := cmd.GetDef().GetColumnDef()
			if def == nil {
				continue
			}
			for _, n := range def.Constraints {
				if c := n.GetConstraint(); c != nil && want(c) {
					out = append(out, addedConstraint{Con: c, Column: def})
				}
			}
		}
	}
	return out
}

// validatedInSameTx returns the statement that validates constraint name of
// at's table in the same transaction as st (st itself when one ALTER TABLE
// both adds and validates it), or nil. The lock that st takes is then held
// while the validation scans the table.
func validatedInSameTx(p *Pass, st *Stmt, at *pg.AlterTableStmt, name string) *Stmt {
	if name == "" {
		return nil
	}
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil && cmd.Subtype == pg.AlterTableType_AT_ValidateConstraint && cmd.Name == name {
			return st
		}
	}
	if !st.InTx {
		return nil
	}
	if v := p.ValidatedLater(st, at.Relation, name); v != nil && v.InTx && v.TxEnd == st.TxEnd {
		return v
	}
	return nil
}

// notNullCheckBefore reports whether a validated CHECK (col IS NOT NULL)
// covers the column when st runs: recorded by an earlier migration, or added
// (and validated) by an earlier statement of this script.
func notNullCheckBefore(p *Pass, st *Stmt, table *pg.RangeVar, col string) bool {
	if p.Schema.HasNotNullCheck(table, col) {
		return true
	}
	s := NewSchema()
	for k, v := range p.Schema.notValid {
		s.notValid[k] = v
	}
	s.Apply(p.Statements[:st.Pos])
	return s.HasNotNullCheck(table, col)
}

// quoteQualified names an object for messages: "name" or "schema"."name".
func quoteQualified(schema, name string) string {
	if schema != "" {
		return fmt.Sprintf("%q.%q", schema, name)
	}
	return fmt.Sprintf("%q", name)
}

// quoteColumns names a column list for messages: ("a", "b").
func quoteColumns(cols []*pg.Node) string {
	var names []string
	for _, c := range cols {
		if s := c.GetString_(); s != nil {
			names = append(names, fmt.Sprintf("%q", s.Sval))
		}
	}
	return "(" + strings.Join(names, ", ") + ")"
}

// noTransactionHelp says how to run a statement outside a transaction with
// the migration tool of format.
func noTransactionHelp(format string) string {
	switch format {
	case "goose":
		return `put the statement in a migration of its own that starts with "-- +goose NO TRANSACTION"`
	case "dbmate":
		return `put the statement in a migration of its own whose up section reads "-- migrate:up transaction:false"`
	case "golang-migrate":
		return "put the statement alone in a migration file of its own: golang-migrate sends a file as one query, and a single statement runs outside a transaction"
	case "sql-migrate":
		return `put the statement in a migration of its own that starts with "-- +migrate Up notransaction"`
	case "alembic":
		return "run the statement inside `with op.get_context().autocommit_block():` in the revision"
	case "flyway":
		return `put the statement in a migration of its own with a script configuration file saying "executeInTransaction=false"`
	case "diesel":
		return `put the statement in a migration of its own whose metadata.toml says "run_in_transaction = false"`
	}
	return `run the statement outside any transaction, in a migration of its own (goose "-- +goose NO TRANSACTION", dbmate "transaction:false", golang-migrate: the statement alone in its file, Alembic autocommit_block())`
}

// txCause says why st runs inside a transaction block, and how to move it
// out of one.
func txCause(p *Pass, st *Stmt) (why, help string) {
	format := p.Migration.Format
	tool := format
	if tool == "" || tool == "plain" || tool == "checktest" {
		tool = "the migration tool"
	}
	switch {
	case st.Embedded:
		return "inside a DO block", "run the statement on its own, outside the DO block and outside any transaction"
	case p.Script.Tx == migrations.TxWrapped:
		return "in the transaction " + tool + " wraps the migration in", noTransactionHelp(format)
	case p.Script.Tx == migrations.TxImplicit:
		return "in the implicit transaction of a multi-statement query (" + tool + " sends the file as one query)", noTransactionHelp(format)
	}
	return "after BEGIN", "move the statement out of BEGIN ... COMMIT, into a migration that runs without a transaction"
}
