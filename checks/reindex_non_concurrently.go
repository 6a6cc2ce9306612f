package checks

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// ReindexNonConcurrently reports REINDEX without CONCURRENTLY.
var ReindexNonConcurrently = &Rule{
	ID:       "reindex-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Rebuild indexes concurrently",
		Text: `A plain REINDEX takes a SHARE lock on the table, which stops every INSERT, UPDATE
and DELETE until the rebuild ends, and an ACCESS EXCLUSIVE lock on each index being
rebuilt. Because the planner locks every index of a table it plans a query for,
most SELECTs on the table wait as well. REINDEX TABLE, SCHEMA and DATABASE do this
to one index after another, for as long as the whole rebuild takes.

REINDEX ... CONCURRENTLY (PostgreSQL 12 and later) builds a new copy of each index
without blocking writes and swaps it in. Like CREATE INDEX CONCURRENTLY it cannot
run inside a transaction, and a failure leaves an INVALID index named *_ccnew
behind, to drop before retrying. Before PostgreSQL 12 the same effect needs a new
index: CREATE INDEX CONCURRENTLY under a new name, DROP INDEX CONCURRENTLY the old
one, then rename the new one. The rule reads the version from --pg-version.

Rebuilding an index or table created earlier in the same migration is not reported.

Suppress with "-- schemagate:ignore reindex-non-concurrently <reason>" when the
table is small or the migration runs in a maintenance window.`,
		Bad:  "REINDEX INDEX users_email_idx;",
		Good: "REINDEX INDEX CONCURRENTLY users_email_idx;",
		Help: "REINDEX ... CONCURRENTLY in a migration that runs outside a transaction",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			r := st.Node.GetReindexStmt()
			if r == nil {
				continue
			}
			if _, ok := reindexConcurrently(r); ok {
				continue
			}
			var kind, name, locks string
			switch r.Kind {
			case pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
				if p.IsNew(r.Relation, st) {
					continue
				}
				kind, name = "INDEX", quoteRel(r.Relation)
				locks = "takes ACCESS EXCLUSIVE on the index and SHARE on its table, blocking writes and the reads that plan with the index"
			case pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
				if p.IsNew(r.Relation, st) {
					continue
				}
				kind, name = "TABLE", quoteRel(r.Relation)
				locks = fmt.Sprintf("takes SHARE on %s and ACCESS EXCLUSIVE on each of its indexes, blocking writes and most reads", name)
			case pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA, pg.ReindexObjectType_REINDEX_OBJECT_DATABASE:
				kind = "SCHEMA"
				if r.Kind == pg.ReindexObjectType_REINDEX_OBJECT_DATABASE {
					kind = "DATABASE"
				}
				if r.Name != "" {
					name = fmt.Sprintf("%q", r.Name)
				}
				locks = "locks each table in turn with SHARE and each index it rebuilds with ACCESS EXCLUSIVE, blocking writes and most reads"
			case pg.ReindexObjectType_REINDEX_OBJECT_SYSTEM:
				p.ReportHelp(st, -1, "REINDEX SYSTEM locks the system catalogs, which blocks nearly every query, and cannot run CONCURRENTLY",
					"rebuild system catalogs in a maintenance window, not in a migration")
				continue
			default:
				continue
			}
			what := strings.TrimSpace("REINDEX " + kind + " " + name)
			if p.PGVersion > 0 && p.PGVersion < 12 {
				p.ReportHelp(st, -1,
					fmt.Sprintf("%s %s; REINDEX CONCURRENTLY is unavailable before PostgreSQL 12 (assuming %d)", what, locks, p.PGVersion),
					"create a new index with CREATE INDEX CONCURRENTLY, drop the old one with DROP INDEX CONCURRENTLY, and rename the new one in its place")
				continue
			}
			p.ReportHelp(st, -1, fmt.Sprintf("%s without CONCURRENTLY %s", what, locks),
				strings.TrimSpace("REINDEX "+kind+" CONCURRENTLY "+name)+" in a migration that runs outside a transaction")
		}
		return nil
	},
}

// reindexConcurrently reports whether REINDEX has the CONCURRENTLY option,
// and where it is written.
func reindexConcurrently(r *pg.ReindexStmt) (loc int32, ok bool) {
	for _, n := range r.Params {
		d := n.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, "concurrently") {
			continue
		}
		// REINDEX (CONCURRENTLY false) is the plain form.
		switch a := d.GetArg(); {
		case a.GetBoolean() != nil && !a.GetBoolean().Boolval,
			a.GetInteger() != nil && a.GetInteger().Ival == 0:
			return -1, false
		case a.GetString_() != nil:
			switch strings.ToLower(a.GetString_().Sval) {
			case "false", "off", "no", "0":
				return -1, false
			}
		}
		return d.Location, true
	}
	return -1, false
}
