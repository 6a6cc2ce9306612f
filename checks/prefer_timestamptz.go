package checks

import (
	"fmt"

	"github.com/schemagate/schemagate/internal/finding"
)

// PreferTimestamptz reports timestamp without time zone columns.
var PreferTimestamptz = &Rule{
	ID:       "prefer-timestamptz",
	Severity: finding.Notice,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Prefer timestamptz to timestamp",
		Text: `timestamp (timestamp without time zone) stores a wall-clock reading with no time
zone: the same instant written by two clients with different TimeZone settings
gives two values, values around daylight-saving changes are ambiguous, and
comparing them with now() silently converts using the session's zone. timestamptz
stores an absolute instant (in UTC) and converts to the session's zone only on
output; it takes the same eight bytes. Converting a timestamp column later is an
ALTER COLUMN ... TYPE that rewrites the table unless the session time zone is UTC
(PostgreSQL 12 and later).

The rule looks at the types written in CREATE TABLE, ADD COLUMN and ALTER COLUMN ...
TYPE, on new and existing tables alike, in up scripts. For values that really are
local wall-clock times (an alarm at 07:00 wherever the user is), suppress with
"-- schemagate:ignore prefer-timestamptz <reason>".`,
		Bad:  "CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);",
		Good: "CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL);",
		Help: "use timestamptz (timestamp with time zone)",
	},
	Run: runTypeStyle(func(site columnTypeSite, name string) string {
		if name != "timestamp" {
			return ""
		}
		return fmt.Sprintf("column %s is timestamp without time zone; its values depend on the writer's TimeZone setting",
			quoteCol(site.table, site.column))
	}),
}
