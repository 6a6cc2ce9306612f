package checks

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// DropSchema reports DROP SCHEMA of a schema that the migration did not
// create.
var DropSchema = &Rule{
	ID:       "drop-schema",
	Severity: finding.Error,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Don't drop schemas that existed before the migration",
		Text: `DROP SCHEMA ... CASCADE deletes every table, view, sequence, function and type in
the schema, with all their data, in one statement; only a backup brings it back.
Without CASCADE the statement fails unless the schema is empty, which breaks the
migration instead. Either way, deployed code that refers to the schema, or whose
search_path names it, stops working. This is the same on every PostgreSQL version.

Dropping a schema created earlier in the same migration is safe, and so is a down
script dropping the schema its own up script created. Drop a schema that holds real
objects only deliberately, after a backup, with
"-- schemagate:ignore drop-schema <reason>".`,
		Bad: "DROP SCHEMA reporting CASCADE;",
		Good: "-- A schema created earlier in the same migration holds nobody's data.\n" +
			"CREATE SCHEMA staging;\n" +
			"CREATE TABLE staging.rows (id bigint, payload text);\n" +
			"DROP SCHEMA staging CASCADE;",
		Help: "move or drop the schema's objects one by one in migrations that the code is ready for",
	},
	Run: func(p *Pass) error {
		var upSchemas map[string]bool
		for _, st := range p.Statements {
			drop := st.Node.GetDropStmt()
			for _, obj := range droppedObjects(st, pg.ObjectType_OBJECT_SCHEMA) {
				name, loc := obj.name, obj.loc
				if schemaCreatedBefore(p.Statements[:st.Pos], name) {
					continue
				}
				if upSchemas == nil {
					upSchemas = map[string]bool{}
					for _, up := range p.upStatements() {
						if n := createdSchema(up.Node); n != "" {
							upSchemas[n] = true
						}
					}
				}
				if upSchemas[name] {
					continue
				}
				msg := fmt.Sprintf("DROP SCHEMA %q removes the schema; deployed code that uses it fails", name)
				if drop.Behavior == pg.DropBehavior_DROP_CASCADE {
					msg = fmt.Sprintf("DROP SCHEMA %q CASCADE deletes every object in the schema with its data", name)
				}
				p.ReportAt(st, loc, msg)
			}
		}
		return nil
	},
}

// schemaCreatedBefore reports whether one of stmts creates schema name.
func schemaCreatedBefore(stmts []*Stmt, name string) bool {
	for _, st := range stmts {
		if createdSchema(st.Node) == name {
			return true
		}
	}
	return false
}

// createdSchema is the name of the schema that n creates, or "".
func createdSchema(n *pg.Node) string {
	cs := n.GetCreateSchemaStmt()
	if cs == nil {
		return ""
	}
	if cs.Schemaname != "" {
		return cs.Schemaname
	}
	return cs.GetAuthrole().GetRolename()
}
