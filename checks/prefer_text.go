package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// PreferText reports varchar columns with a length limit.
var PreferText = &Rule{
	ID:       "prefer-text",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Prefer text with a CHECK to varchar(n)",
		Text: `In PostgreSQL varchar(n) is stored exactly like text; the length is only a
constraint, and one that is hard to change. Raising it needs ALTER COLUMN ... TYPE,
which takes an ACCESS EXCLUSIVE lock on the table (since PostgreSQL 9.2 without a
rewrite, but still blocking every read and write while it waits for the lock), and
lowering it rewrites the table. A text column with CHECK (char_length(col) <= n)
enforces the same limit, and the limit can be replaced without blocking: add the new
constraint NOT VALID, VALIDATE it in another statement, then drop the old one.

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. varchar without a length is
not reported. Suppress with "-- schemagate:ignore prefer-text <reason>" when another
system really imposes the limit.`,
		Bad: "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255));",
		Good: "CREATE TABLE users (\n" +
			"  id bigint PRIMARY KEY,\n" +
			"  email text CONSTRAINT users_email_length CHECK (char_length(email) <= 255)\n" +
			");",
		Help: "use text with CHECK (char_length(col) <= n), which can be changed NOT VALID without blocking",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		if name != "varchar" || len(site.typ.Typmods) == 0 {
			return ""
		}
		return fmt.Sprintf("column %s is %s; changing the limit later takes an ACCESS EXCLUSIVE lock",
			quoteCol(site.table, site.column), typeSQL(site.typ))
	}),
}
