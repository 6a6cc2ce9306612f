package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// PreferIdentity reports serial columns.
var PreferIdentity = &Rule{
	ID:       "prefer-identity",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Prefer identity columns to serial",
		Text: `serial, bigserial and smallserial are not types but shorthand for a column with a
DEFAULT nextval() on a separate sequence. The sequence needs its own privileges
(granting INSERT on the table is not enough), is easy to leave behind or desync when
copying or altering the table, and nothing stops an explicit value from colliding
with the next generated one. Identity columns (GENERATED ALWAYS or BY DEFAULT AS
IDENTITY, PostgreSQL 10 and later) are the SQL-standard replacement: the sequence
belongs to the column, is granted with the table, and GENERATED ALWAYS rejects
explicit values unless OVERRIDING SYSTEM VALUE is given.

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. Suppress with
"-- schemagate:ignore prefer-identity <reason>" for PostgreSQL 9.6 and older, or when
a tool needs the serial form.`,
		Bad:  "CREATE TABLE users (id bigserial PRIMARY KEY, email text);",
		Good: "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);",
		Help: "use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT)",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		if len(site.typ.Names) != 1 {
			return ""
		}
		switch name {
		case "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2":
		default:
			return ""
		}
		return fmt.Sprintf("column %s is %s; an identity column owns its sequence and needs no separate grants",
			quoteCol(site.table, site.column), name)
	}),
}
