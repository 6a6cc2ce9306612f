package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/lockmode"

	"github.com/schemagate/schemagate/internal/finding"
)

// LockTable reports explicit LOCK TABLE in a mode that blocks reads or
// writes of a table that existed before the migration.
var LockTable = &Rule{
	ID:       "lock-table",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Avoid LOCK TABLE in modes that block reads or writes",
		Text: `LOCK TABLE takes a lock that is held until the transaction ends, so it blocks the
application for as long as the rest of the migration runs, not just for one
statement. What each mode blocks, in every PostgreSQL version:

- ACCESS EXCLUSIVE (the default when no mode is given): reads and writes;
- EXCLUSIVE: writes and SELECT ... FOR UPDATE/SHARE, not plain reads;
- SHARE ROW EXCLUSIVE and SHARE: writes (INSERT, UPDATE, DELETE, MERGE);
- SHARE UPDATE EXCLUSIVE, ROW EXCLUSIVE, ROW SHARE, ACCESS SHARE: neither
  reads nor writes, only schema changes and maintenance; not reported.

While LOCK TABLE waits for its lock, every later query on the table waits behind
it too; NOWAIT makes it fail at once instead, but the lock, once taken, blocks
just as long. Outside a transaction block PostgreSQL rejects LOCK TABLE.

Statements take the locks they need by themselves: an explicit lock is rarely
required. Lock only as strongly as needed, as late as possible, in a short
transaction. LOCK TABLE on a table created earlier in the same migration is not
reported. Suppress with "-- schemagate:ignore lock-table <reason>" when the lock
is intended, for example to make a backfill and a constraint see the same rows.`,
		Bad: "BEGIN;\n" +
			"LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;\n" +
			"UPDATE accounts SET plan = 'free' WHERE plan IS NULL;\n" +
			"COMMIT;",
		Good: "BEGIN;\n" +
			"-- keeps schema changes and VACUUM out, lets reads and writes go on\n" +
			"LOCK TABLE accounts IN SHARE UPDATE EXCLUSIVE MODE;\n" +
			"UPDATE accounts SET plan = 'free' WHERE plan IS NULL;\n" +
			"COMMIT;",
		Help: "drop the explicit lock, or use the weakest mode that works, late in a short transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			l := st.Node.GetLockStmt()
			if l == nil {
				continue
			}
			mode := lockmode.Mode(l.Mode)
			if !mode.BlocksWrites() {
				continue
			}
			for _, r := range l.Relations {
				rv := r.GetRangeVar()
				if rv == nil || p.IsNew(rv, st) {
					continue
				}
				p.ReportAt(st, rv.Location, lockTableMessage(mode, rv))
			}
		}
		return nil
	},
}

func lockTableMessage(mode lockmode.Mode, rv *pg.RangeVar) string {
	return fmt.Sprintf("LOCK TABLE %s IN %s MODE blocks %s of it until the transaction ends", quoteRel(rv), mode, mode.Blocked())
}
