package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// PreferJsonb reports json columns.
var PreferJsonb = &Rule{
	ID:       "prefer-jsonb",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Prefer jsonb to json",
		Text: `A json column stores the document as text, and every operator and function parses
it again on each access. It has no equality operator, so DISTINCT, GROUP BY, UNION
and unique constraints on it fail, and it cannot have GIN indexes. jsonb stores a
parsed binary form that is faster to query, supports containment operators (@>, ?)
and GIN indexes. Converting later is an ALTER COLUMN ... TYPE jsonb that rewrites
the table under an ACCESS EXCLUSIVE lock.

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. json keeps the exact text
(key order, duplicate keys, white space); when that matters, suppress with
"-- schemagate:ignore prefer-jsonb <reason>".`,
		Bad:  "CREATE TABLE webhooks (id bigint PRIMARY KEY, payload json NOT NULL);",
		Good: "CREATE TABLE webhooks (id bigint PRIMARY KEY, payload jsonb NOT NULL);",
		Help: "use jsonb",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		if name != "json" {
			return ""
		}
		return fmt.Sprintf("column %s is json, which is reparsed on every access and has no equality operator or GIN index; use jsonb",
			quoteCol(site.table, site.column))
	}),
}
