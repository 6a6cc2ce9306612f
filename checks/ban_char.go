package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// BanChar reports char(n) columns.
var BanChar = &Rule{
	ID:       "ban-char",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't use char(n)",
		Text: `char(n) (character(n), bpchar) pads every value with spaces to n characters. The
padding is stored, so the type is no smaller or faster than text, and it is
ignored in some places and kept in others: comparisons between char values ignore
it, a cast or concatenation to text drops it, client drivers return it. A value
longer than n is an error, so the length still needs handling in the code. Plain char is char(1). Changing the length later is an ALTER COLUMN ... TYPE
that takes an ACCESS EXCLUSIVE lock. This is the same on every PostgreSQL version.

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. The one-byte internal type
"char" (quoted) is not reported. Suppress with
"-- schemagate:ignore ban-char <reason>" when a fixed-width format is required.`,
		Bad: "CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);",
		Good: "CREATE TABLE countries (\n" +
			"  code text PRIMARY KEY CHECK (char_length(code) = 2),\n" +
			"  name text NOT NULL\n" +
			");",
		Help: "use text (with a CHECK on char_length when the length matters)",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		if name != "bpchar" {
			return ""
		}
		return fmt.Sprintf("column %s is %s, which pads values with spaces; use text",
			quoteCol(site.table, site.column), typeSQL(site.typ))
	}),
}
