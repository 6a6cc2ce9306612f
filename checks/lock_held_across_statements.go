package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// LockHeldAcrossStatements reports a strong lock on an existing table that
// a transaction keeps while later statements of it do more work.
var LockHeldAcrossStatements = &Rule{
	ID:       "lock-held-across-statements",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Release strong locks before doing more work",
		Text: `PostgreSQL keeps every lock until the transaction ends. A statement that takes a
lock blocking reads or writes (ACCESS EXCLUSIVE for most ALTER TABLE forms,
SHARE for CREATE INDEX, ...) is harmless when it is quick and commits at once;
in a transaction that then backfills rows, builds an index or waits for locks on
other tables, the table stays blocked for all of that time. This is so in every
PostgreSQL version.

The rule reports a statement that, inside a transaction (the migration tool's,
an explicit BEGIN, or a DO block), takes SHARE or a stronger lock on a table
that existed before the migration (the statements listed by
missing-lock-timeout), when a later statement of the same transaction:

- reads or writes rows of an existing table, the locked one included: UPDATE,
  DELETE, MERGE, COPY, or an INSERT ... SELECT, SELECT or CREATE TABLE AS
  reading it (INSERT ... VALUES writes only the rows it lists and does not
  count);
- scans or rewrites an existing table: CREATE INDEX, VACUUM, ANALYZE, CLUSTER,
  REINDEX, REFRESH MATERIALIZED VIEW, or an ALTER TABLE that validates a
  constraint, adds a validated CHECK or FOREIGN KEY, adds a PRIMARY KEY or
  UNIQUE constraint without USING INDEX, sets NOT NULL, changes a column type,
  adds a column that rewrites the table or carries a constraint, attaches a
  partition, or changes LOGGED, tablespace or access method;
- or requests SHARE or a stronger lock on another existing table, and may wait
  for it.

Later statements that only change the catalog of the locked table (another ADD
COLUMN, SET DEFAULT, COMMENT, GRANT), that touch only objects created in the
same migration, or that name no table (SET, CREATE FUNCTION, SELECT f()) do not
count. The message names the first later statement that counts; each locked
table is reported once per transaction, on the statement that first locks it.
Statements run outside a transaction commit one by one and are not reported.

Split the migration so the strong lock is taken in a transaction of its own, or
order the statements so that it is taken last, just before the commit. Suppress
with "-- schemagate:ignore lock-held-across-statements <reason>" when the tables
are small.`,
		Bad: "BEGIN;\n" +
			"ALTER TABLE users ADD COLUMN plan text;\n" +
			"UPDATE users SET plan = 'free';\n" +
			"COMMIT;",
		Good: "SET lock_timeout = '5s';\n" +
			"ALTER TABLE users ADD COLUMN plan text;\n" +
			"-- runs and commits on its own, after the lock is released:\n" +
			"UPDATE users SET plan = 'free' WHERE plan IS NULL;",
		Help: "split the migration so the strong lock commits at once, or order the statements so it is taken last",
	},
	Run: func(p *Pass) error {
		reported := map[string]bool{}
		for _, st := range p.Statements {
			if !st.InTx || st.Node == nil {
				continue
			}
			var held []relLock
			for _, l := range existingLocks(p, st) {
				if l.Rel != nil {
					held = append(held, l)
				}
			}
			if len(held) == 0 {
				continue
			}
			end := st.TxEnd
			key := fmt.Sprintf("%d/%s", end, rel(held[0].Rel))
			if reported[key] {
				continue
			}
			later, what := laterWork(p, st, held, end)
			if later == nil {
				continue
			}
			reported[key] = true
			line, _ := Locate(p.Script, later.Start, nil)
			on, _ := lockedTable(p, st, held[0].Rel) // DROP INDEX: the lock that matters is its table's
			if on != quoteRel(held[0].Rel) {
				on += "," // closes the apposition "the table of index ..."
			}
			p.ReportAt(st, held[0].Loc, fmt.Sprintf(
				"the %s lock that %s takes on %s is held until the transaction commits, while line %d %s runs",
				held[0].Mode, stmtLabel(st.Node), on, line.Line, what))
		}
		return nil
	},
}

// laterWork finds the first statement after st, up to index end, that
// makes the locks st holds last longer; what describes it ("UPDATE
// "orders"").
func laterWork(p *Pass, st *Stmt, held []relLock, end int) (later *Stmt, what string) {
	isHeld := map[string]bool{}
	for _, l := range held {
		isHeld[rel(l.Rel)] = true
	}
	for j := st.Pos + 1; j <= end && j < len(p.Statements); j++ {
		l := p.Statements[j]
		if l.Node == nil || l.Node.GetDoStmt() != nil {
			continue // a DO block's statements follow it and are judged one by one
		}
		if rv, ok := workOn(p, l, isHeld); ok {
			label := stmtLabel(l.Node)
			switch {
			case rv == nil:
			case l.Node.GetInsertStmt() != nil && rv != l.Node.GetInsertStmt().GetRelation(),
				l.Node.GetSelectStmt() != nil, l.Node.GetCreateTableAsStmt() != nil:
				label += " reading " + quoteRel(rv)
			default:
				label += " " + quoteRel(rv)
			}
			return l, label
		}
	}
	return nil, ""
}

// workOn reports whether statement l reads, writes, scans or rewrites an
// existing table, or locks one that is not already held; rv is that table,
// nil when the statement does not name it.
func workOn(p *Pass, l *Stmt, held map[string]bool) (rv *pg.RangeVar, ok bool) {
	for _, lk := range existingLocks(p, l) {
		if lk.Rel == nil || !held[rel(lk.Rel)] {
			return lk.Rel, true
		}
	}
	existing := func(rvs ...*pg.RangeVar) (*pg.RangeVar, bool) {
		for _, r := range rvs {
			if r != nil && !newAt(p, r, l) {
				return r, true
			}
		}
		return nil, false
	}
	switch n := l.Node.GetNode().(type) {
	case *pg.Node_InsertStmt:
		// INSERT ... VALUES writes the rows it lists and is quick: only
		// the tables its query reads count.
		var read []*pg.RangeVar
		for _, r := range relationsIn(l.Node) {
			if r != n.InsertStmt.Relation {
				read = append(read, r)
			}
		}
		return existing(read...)
	case *pg.Node_UpdateStmt, *pg.Node_DeleteStmt, *pg.Node_MergeStmt,
		*pg.Node_CopyStmt, *pg.Node_SelectStmt, *pg.Node_CreateTableAsStmt:
		return existing(relationsIn(l.Node)...)
	case *pg.Node_IndexStmt:
		return existing(n.IndexStmt.Relation)
	case *pg.Node_VacuumStmt:
		if len(n.VacuumStmt.Rels) == 0 {
			return nil, true
		}
		for _, r := range n.VacuumStmt.Rels {
			if rv, ok := existing(r.GetVacuumRelation().GetRelation()); ok {
				return rv, true
			}
		}
	case *pg.Node_ClusterStmt:
		if n.ClusterStmt.Relation == nil {
			return nil, true
		}
		return existing(n.ClusterStmt.Relation)
	case *pg.Node_ReindexStmt:
		if n.ReindexStmt.Relation == nil {
			return nil, true
		}
		return existing(n.ReindexStmt.Relation)
	case *pg.Node_RefreshMatViewStmt:
		return existing(n.RefreshMatViewStmt.Relation)
	case *pg.Node_AlterTableStmt:
		for _, c := range n.AlterTableStmt.Cmds {
			if cmd := c.GetAlterTableCmd(); cmd != nil && scansOrRewrites(p, cmd) {
				return existing(n.AlterTableStmt.Relation)
			}
		}
	}
	return nil, false
}
