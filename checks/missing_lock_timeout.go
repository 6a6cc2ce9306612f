package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// MissingLockTimeout reports the first statement of a script that requests
// a lock blocking reads or writes of an existing table while no
// lock_timeout is in effect.
var MissingLockTimeout = &Rule{
	ID:       "missing-lock-timeout",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Set a lock_timeout before taking strong locks",
		Text: `A statement that needs a lock conflicting with the application's queries first
waits for every transaction that holds a conflicting lock: a long report, an idle
transaction, a slow batch job. PostgreSQL's lock queue is first in, first out, so
while it waits, every later query that conflicts with the lock it asked for
waits behind it: with ACCESS EXCLUSIVE that is every read and write of the
table, and the application stalls although the statement itself would be
instant. A lock_timeout bounds the wait: the statement fails instead, and the
migration can be retried later. This holds for every PostgreSQL version.

The rule looks for statements that request SHARE or a stronger lock on a
relation that existed before the migration: ALTER TABLE (except subcommands
that take SHARE UPDATE EXCLUSIVE, such as VALIDATE CONSTRAINT or SET
STATISTICS; ATTACH PARTITION locks the partition, and the parent too before
PostgreSQL 12), renames (of an index only before PostgreSQL 12), ALTER ... SET
SCHEMA, CREATE INDEX without CONCURRENTLY, DROP TABLE, DROP INDEX without
CONCURRENTLY, DROP TRIGGER/RULE/POLICY, TRUNCATE, LOCK TABLE in SHARE mode or
stronger, VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY, REFRESH
MATERIALIZED VIEW without CONCURRENTLY, CREATE TRIGGER, CREATE RULE,
CREATE/ALTER POLICY, CREATE TABLE ... PARTITION OF, and foreign keys, which
lock the referenced table too. ALTER TYPE ... ADD VALUE locks no table and is
not counted. Neither are LOCK TABLE ... NOWAIT, which fails at once instead of
queueing, and statements whose locks an earlier statement of the same
transaction already holds.

A non-zero SET lock_timeout earlier in the script, SET LOCAL lock_timeout
earlier in the same transaction, or SELECT set_config('lock_timeout', ...)
satisfies the rule; SET lock_timeout = 0 or RESET lock_timeout turns the
protection off again. The rule reports once per script, on the first such
statement that runs without a timeout. Statements on tables created earlier in
the same migration are not counted.

Suppress with "-- schemagate:ignore missing-lock-timeout <reason>", or set the
timeout for the migration role (ALTER ROLE ... SET lock_timeout) and turn the
rule off in the config.`,
		Bad: "ALTER TABLE users ADD COLUMN nickname text;",
		Good: "SET lock_timeout = '5s';\n" +
			"ALTER TABLE users ADD COLUMN nickname text;",
		Help: "SET lock_timeout = '5s'; at the top of the migration, and retry the migration when it times out",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			if st.LockTimeout {
				continue
			}
			if l := st.Node.GetLockStmt(); l != nil && l.Nowait {
				continue // fails at once rather than queueing
			}
			l, ok := firstBlockingLock(p, st)
			if !ok || alreadyHeld(p, st) {
				continue
			}
			var msg string
			if l.Rel == nil {
				msg = fmt.Sprintf("no lock_timeout is set before %s requests %s locks on many tables: while it waits behind a long-running query, all later %s of the table it waits for wait behind it",
					stmtLabel(st.Node), l.Mode, l.Mode.Blocked())
			} else {
				on, of := lockedTable(p, st, l.Rel)
				msg = fmt.Sprintf("no lock_timeout is set before %s requests %s lock on %s: while it waits behind a long-running query, all later %s of %s wait behind it",
					stmtLabel(st.Node), l.Mode.Article(), on, l.Mode.Blocked(), of)
			}
			p.ReportAt(st, l.Loc, msg)
			return nil
		}
		return nil
	},
}

// lockedTable names the relation whose lock makes the application wait:
// the table itself, or for DROP INDEX the index's table, which it locks too
// and which every query of the table needs. on is said of the lock, of of
// the reads and writes that wait.
func lockedTable(p *Pass, st *Stmt, locked *pg.RangeVar) (on, of string) {
	if d := st.Node.GetDropStmt(); d == nil || d.RemoveType != pg.ObjectType_OBJECT_INDEX {
		return quoteRel(locked), quoteRel(locked)
	}
	if t := p.Schema.IndexTable(locked); t != nil {
		return fmt.Sprintf("%s, the table of index %s", quoteRel(t), quoteRel(locked)), quoteRel(t)
	}
	return fmt.Sprintf("the table of index %s", quoteRel(locked)), "the index's table"
}
