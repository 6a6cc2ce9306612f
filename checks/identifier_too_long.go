package checks

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
)

// IdentifierTooLong reports names longer than 63 bytes given to new or
// renamed objects: PostgreSQL truncates them without an error.
var IdentifierTooLong = &Rule{
	ID:       "identifier-too-long",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc: Doc{
		Title: "Keep identifiers within 63 bytes",
		Text: `PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1) and cuts
longer ones with only a NOTICE, which migration tools rarely show. SQL that spells the
full name is truncated the same way and still works, but the object's real name
appears nowhere in the code: tools that look it up in the catalog (ORMs, schema
diffs, queries on pg_indexes or information_schema) do not find it, a comparison
against the models reports drift, and two long names that share their first 63
bytes collide, so the second CREATE fails (or, with IF NOT EXISTS, does nothing).
Multibyte characters count by their UTF-8 bytes, so the limit can be well under 63
characters. This is the same on every PostgreSQL version built with the default
NAMEDATALEN.

The rule looks at the names of objects that a statement creates or renames:
tables, columns, constraints, indexes, sequences, views, schemas, functions,
types, domains and triggers. Each name is reported once per statement with the form
PostgreSQL keeps. Suppress with "-- schemagate:ignore identifier-too-long <reason>".`,
		Bad: "CREATE INDEX customer_subscription_invoices_billing_period_started_at_currency_idx\n" +
			"  ON customer_subscription_invoices (billing_period_started_at, currency);",
		Good: "CREATE INDEX cust_sub_invoices_period_currency_idx\n" +
			"  ON customer_subscription_invoices (billing_period_started_at, currency);",
		Help: "choose a name of at most 63 bytes",
	},
	Run: func(p *Pass) error {
		for _, st := range p.Statements {
			kinds := map[string]string{}
			createdNames(st.Node, func(kind, name string) {
				// A truncated name keeps at least 60 bytes: a UTF-8
				// character has at most 4.
				if len(name) >= maxIdentBytes-3 {
					if _, ok := kinds[name]; !ok {
						kinds[name] = kind
					}
				}
			})
			if len(kinds) == 0 {
				continue
			}
			for _, id := range stmtIdents(st) {
				if len(id.name) <= maxIdentBytes {
					continue
				}
				short := truncateIdent(id.name)
				kind, ok := kinds[short]
				if !ok {
					continue
				}
				delete(kinds, short) // each name once
				p.ReportAt(st, id.loc, fmt.Sprintf("%s name %q is %d bytes; PostgreSQL truncates it to %q",
					kind, id.name, len(id.name), short))
			}
		}
		return nil
	},
}

// createdNames calls fn with the kind and name (as pg_query gives it, so
// already truncated) of every object that n creates or renames.
func createdNames(n *pg.Node, fn func(kind, name string)) {
	constraints := func(cs []*pg.Node) {
		for _, c := range cs {
			if con := c.GetConstraint(); con != nil && con.Conname != "" {
				fn("constraint", con.Conname)
			}
		}
	}
	column := func(kind string, def *pg.ColumnDef) {
		if def == nil {
			return
		}
		if def.Colname != "" {
			fn(kind, def.Colname)
		}
		constraints(def.Constraints)
	}
	lastName := func(names []*pg.Node) string {
		if len(names) == 0 {
			return ""
		}
		return names[len(names)-1].GetString_().GetSval()
	}
	switch s := n.GetNode().(type) {
	case *pg.Node_CreateStmt:
		createTableNames(s.CreateStmt, fn, column, constraints)
	case *pg.Node_CreateForeignTableStmt:
		createTableNames(s.CreateForeignTableStmt.BaseStmt, fn, column, constraints)
	case *pg.Node_CreateTableAsStmt:
		into := s.CreateTableAsStmt.Into
		kind := "table"
		if s.CreateTableAsStmt.Objtype == pg.ObjectType_OBJECT_MATVIEW {
			kind = "materialized view"
		}
		if into.GetRel() != nil {
			fn(kind, into.Rel.Relname)
		}
		for _, c := range into.GetColNames() {
			fn("column", c.GetString_().GetSval())
		}
	case *pg.Node_ViewStmt:
		if s.ViewStmt.View != nil {
			fn("view", s.ViewStmt.View.Relname)
		}
		for _, c := range s.ViewStmt.Aliases {
			fn("column", c.GetString_().GetSval())
		}
	case *pg.Node_IndexStmt:
		if s.IndexStmt.Idxname != "" {
			fn("index", s.IndexStmt.Idxname)
		}
	case *pg.Node_CreateSeqStmt:
		if s.CreateSeqStmt.Sequence != nil {
			fn("sequence", s.CreateSeqStmt.Sequence.Relname)
		}
	case *pg.Node_CreateSchemaStmt:
		if s.CreateSchemaStmt.Schemaname != "" {
			fn("schema", s.CreateSchemaStmt.Schemaname)
		}
		for _, e := range s.CreateSchemaStmt.SchemaElts {
			createdNames(e, fn)
		}
	case *pg.Node_CreateFunctionStmt:
		kind := "function"
		if s.CreateFunctionStmt.IsProcedure {
			kind = "procedure"
		}
		fn(kind, lastName(s.CreateFunctionStmt.Funcname))
	case *pg.Node_CompositeTypeStmt:
		if s.CompositeTypeStmt.Typevar != nil {
			fn("type", s.CompositeTypeStmt.Typevar.Relname)
		}
		for _, c := range s.CompositeTypeStmt.Coldeflist {
			column("attribute", c.GetColumnDef())
		}
	case *pg.Node_CreateEnumStmt:
		fn("type", lastName(s.CreateEnumStmt.TypeName))
	case *pg.Node_CreateRangeStmt:
		fn("type", lastName(s.CreateRangeStmt.TypeName))
	case *pg.Node_CreateDomainStmt:
		fn("domain", lastName(s.CreateDomainStmt.Domainname))
		constraints(s.CreateDomainStmt.Constraints)
	case *pg.Node_CreateTrigStmt:
		fn("trigger", s.CreateTrigStmt.Trigname)
	case *pg.Node_AlterTableStmt:
		for _, c := range s.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			switch cmd.GetSubtype() {
			case pg.AlterTableType_AT_AddColumn:
				column("column", cmd.GetDef().GetColumnDef())
			case pg.AlterTableType_AT_AddConstraint:
				constraints([]*pg.Node{cmd.GetDef()})
			}
		}
	case *pg.Node_RenameStmt:
		fn(renamedKind(s.RenameStmt.RenameType), s.RenameStmt.Newname)
	}
}

func createTableNames(cs *pg.CreateStmt, fn func(kind, name string), column func(string, *pg.ColumnDef), constraints func([]*pg.Node)) {
	if cs == nil {
		return
	}
	if cs.Relation != nil {
		fn("table", cs.Relation.Relname)
	}
	for _, e := range cs.TableElts {
		column("column", e.GetColumnDef())
		constraints([]*pg.Node{e})
	}
}

// renamedKind names the kind of object a RenameStmt renames.
func renamedKind(t pg.ObjectType) string {
	switch t {
	case pg.ObjectType_OBJECT_TABCONSTRAINT, pg.ObjectType_OBJECT_DOMCONSTRAINT:
		return "constraint"
	case pg.ObjectType_OBJECT_MATVIEW:
		return "materialized view"
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return "foreign table"
	}
	kind := strings.ToLower(strings.TrimPrefix(t.String(), "OBJECT_"))
	return strings.ReplaceAll(kind, "_", " ")
}
