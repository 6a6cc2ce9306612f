package checks

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Diagnostic is what a rule reports: a place in the file and a message.
type Diagnostic struct {
	// Pos is a byte offset into the file; End, when set, is past the end
	// of what is reported.
	Pos, End int
	// Message starts lowercase, has no trailing period, and names the
	// object: `CREATE INDEX on "users" blocks writes until it finishes`.
	Message string
	// Help replaces the rule's Doc.Help when the safe alternative depends on
	// the statement.
	Help string
	// Statement is the statement reported on.
	Statement *sqlparse.Statement
}

// Pass is what a rule sees of one script (the up or the down half of one
// migration) and the facts that decide whether a statement is dangerous.
type Pass struct {
	Rule      *Rule
	Migration *migrations.Migration
	Direction finding.Direction
	Script    *migrations.Script
	// Statements are the script's statements in order, followed directly by
	// the statements found inside each DO block (Embedded).
	Statements []*Stmt
	// PGVersion is the major PostgreSQL version the rules assume.
	PGVersion int
	// Schema holds what earlier migrations did that later ones depend on.
	Schema *Schema
	// Parsed is the parse of the script: its comments and suppressions.
	Parsed *sqlparse.Script

	facts  *facts
	report func(Diagnostic)
	// known is a field, not a call to Lookup, because a rule that called
	// Lookup would make All depend on itself.
	known func(string) bool
}

// Stmt is a statement with the context a rule needs to judge it.
type Stmt struct {
	*sqlparse.Statement
	// InTx: the statement runs inside a transaction (the format's own, an
	// implicit multi-statement one, or an explicit BEGIN).
	InTx bool
	// TxEnd is the index in Pass.Statements of the last statement of the
	// transaction this one runs in; its own index when not in one.
	TxEnd int
	// LockTimeout: a non-zero lock_timeout is in effect for this statement.
	LockTimeout bool
	// Embedded: the statement was found inside a DO block or a function
	// body; Parent is that statement.
	Embedded bool
	Parent   *Stmt
	// Pos is the index of this statement in Pass.Statements.
	Pos int
}

// KnownRule reports whether id names a rule of any phase.
func (p *Pass) KnownRule(id string) bool { return p.known(id) }

// Report records a diagnostic.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// ReportAt reports msg at location loc (a pg_query Location, relative to the
// statement's parse base; -1 for the start of the statement).
func (p *Pass) ReportAt(st *Stmt, loc int32, msg string) {
	p.report(Diagnostic{Pos: p.Offset(st, loc), Message: msg, Statement: st.Statement})
}

// ReportHelp is ReportAt with a help text specific to this finding.
func (p *Pass) ReportHelp(st *Stmt, loc int32, msg, help string) {
	p.report(Diagnostic{Pos: p.Offset(st, loc), Message: msg, Help: help, Statement: st.Statement})
}

// Offset turns a pg_query Location into a file offset inside the statement.
func (p *Pass) Offset(st *Stmt, loc int32) int {
	if loc < 0 {
		return st.Start
	}
	off := st.Base + int(loc)
	if off < st.Start || off > st.End {
		return st.Start
	}
	return off
}

// IsNew reports whether the relation was created earlier in this script:
// it is empty and nobody else uses it yet, so locks on it harm nobody. What
// a down script's up created is not new: by the time the down runs, the
// object has data and traffic (see CreatedByUp for destructive rules).
func (p *Pass) IsNew(rv *pg.RangeVar, before *Stmt) bool {
	if rv == nil {
		return false
	}
	return p.facts.isNew(RelKey(rv.Schemaname, rv.Relname), before)
}

// IsNewName is IsNew for a relation known by schema and name.
func (p *Pass) IsNewName(schema, name string, before *Stmt) bool {
	return p.facts.isNew(RelKey(schema, name), before)
}

// ColumnIsNew reports whether column col of rv was added earlier in this
// script, or its table created.
func (p *Pass) ColumnIsNew(rv *pg.RangeVar, col string, before *Stmt) bool {
	if p.IsNew(rv, before) {
		return true
	}
	return p.facts.isNew(RelKey(rv.Schemaname, rv.Relname)+"."+col, before)
}

// CreatedByUp reports whether the up script of this migration created the
// relation; a down script that drops it only reverts its own up.
func (p *Pass) CreatedByUp(schema, name string) bool {
	return p.facts.upCreated[RelKey(schema, name)]
}

// ColumnCreatedByUp is CreatedByUp for a column added by the up script.
func (p *Pass) ColumnCreatedByUp(rv *pg.RangeVar, col string) bool {
	key := RelKey(rv.Schemaname, rv.Relname)
	return p.facts.upCreated[key] || p.facts.upCreated[key+"."+col]
}

// ValidatedInTx reports whether the constraint is validated later in the
// same transaction as st; the lock of st is then held through the scan.
func (p *Pass) ValidatedLater(st *Stmt, table *pg.RangeVar, constraint string) *Stmt {
	for _, later := range p.Statements[st.Pos+1:] {
		at, ok := later.Node.GetNode().(*pg.Node_AlterTableStmt)
		if !ok || !sameRel(at.AlterTableStmt.Relation, table) {
			continue
		}
		for _, c := range at.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_ValidateConstraint && cmd.Name == constraint {
				return later
			}
		}
	}
	return nil
}

func sameRel(a, b *pg.RangeVar) bool {
	return a != nil && b != nil && RelKey(a.Schemaname, a.Relname) == RelKey(b.Schemaname, b.Relname)
}
