package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// AddColumnRewrite reports ADD COLUMN on an existing table when filling the
// new column rewrites the whole table.
var AddColumnRewrite = &Rule{
	ID:       "add-column-rewrite",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Add columns without rewriting the table",
		Text: `ALTER TABLE ... ADD COLUMN takes an ACCESS EXCLUSIVE lock on the table, which
blocks every read and write. Usually the lock lasts only as long as a catalog
change: since PostgreSQL 11 a column with a constant or stable default (42, 'x',
now(), CURRENT_DATE) is added without touching the rows, the default being stored
once in the catalog. A column whose value must be computed row by row makes
PostgreSQL rewrite the whole table, and its indexes, while it holds the lock:

- a volatile default: clock_timestamp(), random(), gen_random_uuid(),
  uuid_generate_v4(), nextval(), txid_current(), ...;
- a serial, bigserial or smallserial column, which defaults to nextval();
- GENERATED ... AS IDENTITY;
- GENERATED ALWAYS AS (...) STORED.

A default calling a function the rule does not know (and that the migration does
not itself declare IMMUTABLE or STABLE) is reported as possibly volatile. Before
PostgreSQL 11 (--pg-version 10) every non-null default rewrites the table.

Adding such a column to a table created earlier in the same migration is safe:
the table is empty. Otherwise add the column without the default (or with a
constant one), set the default for new rows with ALTER COLUMN ... SET DEFAULT,
and backfill existing rows in batches. Suppress with
"-- schemagate:ignore add-column-rewrite <reason>" when the table is small.`,
		Bad: "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
		Good: "SET lock_timeout = '5s';\n" +
			"ALTER TABLE users ADD COLUMN token uuid;\n" +
			"ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n" +
			"-- then backfill existing rows in batches:\n" +
			"UPDATE users SET token = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND token IS NULL;",
		Help: "add the column without the default, SET DEFAULT in a second statement, then backfill in batches",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at := st.Node.GetAlterTableStmt()
			if at == nil || at.Objtype != pg.ObjectType_OBJECT_TABLE || p.IsNew(at.Relation, st) {
				continue
			}
			var funcs map[string]volatility
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				def := cmd.GetDef().GetColumnDef()
				if cmd.GetSubtype() != pg.AlterTableType_AT_AddColumn || def == nil {
					continue
				}
				if funcs == nil {
					funcs = declaredVolatility(p, st)
				}
				r := columnRewriteWith(p, def, funcs)
				if !r.rewrites() {
					continue
				}
				p.ReportAt(st, r.loc, addColumnRewriteMessage(p, r, def.Colname, at.Relation))
			}
		}
		return nil
	},
}

func addColumnRewriteMessage(p *Pass, r columnRewriteResult, col string, table *pg.RangeVar) string {
	t := quoteRel(table)
	const lock = "under ACCESS EXCLUSIVE lock, blocking reads and writes"
	switch r.kind {
	case rewriteSerial:
		return fmt.Sprintf("serial column %q fills every row of existing table %s from a sequence: the table is rewritten %s", col, t, lock)
	case rewriteIdentity:
		return fmt.Sprintf("identity column %q fills every row of existing table %s: the table is rewritten %s", col, t, lock)
	case rewriteGenerated:
		return fmt.Sprintf("stored generated column %q is computed for every row of existing table %s: the table is rewritten %s", col, t, lock)
	case rewriteVolatile:
		return fmt.Sprintf("volatile default %s() on new column %q rewrites existing table %s %s", r.fn, col, t, lock)
	case rewriteMaybeVolatile:
		if r.fn == "" {
			return fmt.Sprintf("the default of new column %q may be volatile: if so it rewrites existing table %s %s", col, t, lock)
		}
		return fmt.Sprintf("default %s() on new column %q may be volatile: if so it rewrites existing table %s %s", r.fn, col, t, lock)
	case rewriteOldDefault:
		return fmt.Sprintf("on PostgreSQL %d a default on new column %q rewrites existing table %s %s (only volatile defaults do from PostgreSQL 11)", p.PGVersion, col, t, lock)
	}
	return ""
}
