package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// VacuumFull reports VACUUM FULL on tables that existed before the
// migration.
var VacuumFull = &Rule{
	ID:       "vacuum-full",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Do not run VACUUM FULL in a migration",
		Text: `VACUUM FULL writes a new copy of the table and of all its indexes, and holds an
ACCESS EXCLUSIVE lock for the whole copy: every read and write of the table waits
until it is done, which on a large table takes minutes to hours. It also needs
free disk space for the copy. This holds for every supported PostgreSQL version.
Without a table name it processes every table of the database in turn. Plain
VACUUM and ANALYZE take only a SHARE UPDATE EXCLUSIVE lock, which blocks neither
reads nor writes, and are not reported.

To give space back to the operating system without blocking the application, run
pg_repack or pg_squeeze outside the migration, or let autovacuum and plain
VACUUM make the space reusable. VACUUM FULL of a table created earlier in the
same migration is not reported. Suppress with
"-- schemagate:ignore vacuum-full <reason>" when the table is small or the
application is down.`,
		Bad:  "VACUUM FULL events;",
		Good: "VACUUM (ANALYZE) events;",
		Help: "run plain VACUUM, or pg_repack outside the migration, to reclaim space without an ACCESS EXCLUSIVE lock",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			v := st.Node.GetVacuumStmt()
			if v == nil || !isVacuumFull(v) {
				continue
			}
			if len(v.Rels) == 0 {
				p.ReportAt(st, -1, "VACUUM FULL without a table rewrites every table of the database in turn, each under ACCESS EXCLUSIVE lock, blocking its reads and writes")
				continue
			}
			for _, r := range v.Rels {
				rv := r.GetVacuumRelation().GetRelation()
				if rv == nil || p.IsNew(rv, st) {
					continue
				}
				p.ReportAt(st, rv.Location, fmt.Sprintf("VACUUM FULL rewrites %s under ACCESS EXCLUSIVE lock, blocking its reads and writes until the copy is done", quoteRel(rv)))
			}
		}
		return nil
	},
}
