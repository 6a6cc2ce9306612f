package checks

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// SetNotNull reports ALTER COLUMN ... SET NOT NULL on an existing column
// when PostgreSQL has to scan the table to prove it.
var SetNotNull = &Rule{
	ID:       "set-not-null",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Set NOT NULL only behind a validated CHECK constraint",
		Text: `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL takes an ACCESS EXCLUSIVE lock on the
table and reads every row to prove that the column holds no NULL. For the whole scan
nothing can read or write the table.

From PostgreSQL 12 on, the scan is skipped when a validated CHECK (col IS NOT NULL)
constraint already proves the same thing. The online sequence is: ADD CONSTRAINT ...
CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later transaction (no
blocking lock); SET NOT NULL (a brief lock, no scan); then drop the CHECK. The rule
accepts a CHECK that an earlier migration validated, or that an earlier statement of
this migration added and validated. Before PostgreSQL 12 no constraint avoids the
scan and the statement is always reported; the rule reads the version from
--pg-version.

A column added, or a table created, earlier in the same migration is not reported.

Suppress with "-- schemagate:ignore set-not-null <reason>" when the table is small.`,
		Bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
		Good: "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n" +
			"ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n" +
			"ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n" +
			"ALTER TABLE users DROP CONSTRAINT users_email_not_null;",
		Help: "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL and drop the CHECK",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			at, cmds := alteredTable(st)
			if at == nil || p.IsNew(at.Relation, st) {
				continue
			}
			for _, cmd := range cmds {
				if cmd.Subtype != pg.AlterTableType_AT_SetNotNull || cmd.Name == "" {
					continue
				}
				col := cmd.Name
				if p.ColumnIsNew(at.Relation, col, st) {
					continue
				}
				target := fmt.Sprintf("%s.%q", quoteRel(at.Relation), col)
				if p.PGVersion > 0 && p.PGVersion < 12 {
					p.ReportHelp(st, -1, fmt.Sprintf(
						"SET NOT NULL on %s scans every row while holding ACCESS EXCLUSIVE on %s; a validated CHECK (%s IS NOT NULL) avoids the scan only from PostgreSQL 12 (assuming %d)",
						target, quoteRel(at.Relation), col, p.PGVersion),
						"before PostgreSQL 12 there is no online way: run it in a maintenance window, or keep the column nullable behind a validated CHECK (col IS NOT NULL)")
					continue
				}
				if notNullCheckBefore(p, st, at.Relation, strings.ToLower(col)) {
					continue
				}
				p.ReportAt(st, -1, fmt.Sprintf("SET NOT NULL on %s scans every row while holding ACCESS EXCLUSIVE on %s, blocking reads and writes",
					target, quoteRel(at.Relation)))
			}
		}
		return nil
	},
}
