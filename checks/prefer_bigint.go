package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// PreferBigint reports integer and smallint columns.
var PreferBigint = &Rule{
	ID:       "prefer-bigint",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Prefer bigint to integer and smallint",
		Text: `An integer column stops at 2147483647 and a smallint at 32767. Ids, counters and
amounts that grow past that make inserts fail, usually years after the table was
made and when it is largest, and widening the column then means ALTER COLUMN ...
TYPE bigint: an ACCESS EXCLUSIVE lock and a rewrite of the table and its indexes.
bigint costs four more bytes a row (often none, because of alignment) and will not
run out. serial and smallserial create integer and smallint columns too.

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. When the range is bounded by
nature (a percentage, a day of the month), keep the smaller type and suppress with
"-- schemagate:ignore prefer-bigint <reason>".`,
		Bad:  "CREATE TABLE events (id integer PRIMARY KEY, hits int4);",
		Good: "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, hits bigint);",
		Help: "use bigint (bigserial or bigint GENERATED ... AS IDENTITY for generated ids)",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		limit := ""
		switch name {
		case "int4", "int", "integer", "serial", "serial4":
			limit = "2147483647"
		case "int2", "smallint", "smallserial", "serial2":
			limit = "32767"
		default:
			return ""
		}
		return fmt.Sprintf("column %s is %s, which overflows above %s; widening it later rewrites the table",
			quoteCol(site.table, site.column), typeSQL(site.typ), limit)
	}),
}
