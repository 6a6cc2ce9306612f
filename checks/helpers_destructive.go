package checks

// Helpers shared by the destructive rules (drop-*, truncate, rename-*,
// change-column-type, ...) and the style rules (prefer-*, ban-char,
// identifier-too-long).

import (
	"fmt"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// maxIdentBytes is NAMEDATALEN-1: PostgreSQL truncates longer identifiers.
const maxIdentBytes = 63

// upStatements parses the up script of the migration whose down script p
// lints, for rules that need to know what the up did beyond the relations
// and columns it created (CreatedByUp). Nil when p lints an up script.
func (p *Pass) upStatements() []*sqlparse.Statement {
	if p.Direction != finding.Down || p.Migration == nil || p.Migration.Up == nil || p.Migration.Up.File == nil {
		return nil
	}
	up := p.Migration.Up
	return sqlparse.Parse(up.File, up.Start, up.End).Statements
}

// sqlIdent is an identifier token of a statement.
type sqlIdent struct {
	// loc is a Location relative to the statement's parse base.
	loc int32
	// name is the identifier as PostgreSQL folds it (unquoted, lower
	// case), before truncation.
	name string
}

// stmtIdents lists the identifier and keyword tokens of st, in order:
// pg_query gives no location for many names (DROP TABLE's objects, DROP
// COLUMN, index and schema names), and it has already truncated long ones.
func stmtIdents(st *Stmt) []sqlIdent {
	scan, err := pg.Scan(st.Text)
	if err != nil {
		return nil
	}
	var out []sqlIdent
	for _, t := range scan.GetTokens() {
		if t.Token != pg.Token_IDENT && t.KeywordKind == pg.KeywordKind_NO_KEYWORD {
			continue
		}
		if t.Start < 0 || int(t.End) > len(st.Text) {
			continue
		}
		out = append(out, sqlIdent{
			loc:  int32(st.Start - st.Base + int(t.Start)),
			name: foldIdent(st.Text[t.Start:t.End]),
		})
	}
	return out
}

// foldIdent turns identifier text into the name PostgreSQL stores: a
// quoted identifier loses its quotes, an unquoted one is lower-cased (ASCII
// only, as in a UTF-8 database).
func foldIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// truncateIdent cuts name to at most 63 bytes at a character boundary, as
// PostgreSQL does.
func truncateIdent(name string) string {
	if len(name) <= maxIdentBytes {
		return name
	}
	n := maxIdentBytes
	for n > 0 && !utf8.RuneStart(name[n]) {
		n--
	}
	return name[:n]
}

// nameLoc returns the location of the first token of st after location
// after that names name (as pg_query gives it, possibly truncated), or -1.
func nameLoc(idents []sqlIdent, name string, after int32) int32 {
	for _, id := range idents {
		if id.loc > after && truncateIdent(id.name) == name {
			return id.loc
		}
	}
	return -1
}

// dropObjectName splits a DROP statement's object (a list of names) into
// schema and name.
func dropObjectName(obj *pg.Node) (schema, name string) {
	var parts []string
	if l := obj.GetList(); l != nil {
		for _, it := range l.Items {
			parts = append(parts, it.GetString_().GetSval())
		}
	} else if s := obj.GetString_(); s != nil {
		parts = []string{s.Sval}
	}
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return "", parts[0]
	default:
		return parts[len(parts)-2], parts[len(parts)-1]
	}
}

// quoteCol names a column for messages: "users"."email".
func quoteCol(rv *pg.RangeVar, col string) string {
	return fmt.Sprintf("%s.%q", quoteRel(rv), col)
}

// builtinType returns the name pg_query gives a built-in type (int4,
// varchar, bpchar, timestamp, json, serial, ...), or "" for a type
// qualified with a schema other than pg_catalog.
func builtinType(tn *pg.TypeName) string {
	names := tn.GetNames()
	switch {
	case len(names) == 1:
		return names[0].GetString_().GetSval()
	case len(names) == 2 && names[0].GetString_().GetSval() == "pg_catalog":
		return names[1].GetString_().GetSval()
	}
	return ""
}

// typeMods returns the integer modifiers of a type (varchar(10) gives
// [10]); ok is false when one is not an integer constant.
func typeMods(tn *pg.TypeName) (mods []int32, ok bool) {
	for _, m := range tn.GetTypmods() {
		c := m.GetAConst()
		if c == nil || c.GetIval() == nil {
			return nil, false
		}
		mods = append(mods, c.GetIval().GetIval())
	}
	return mods, true
}

// sqlTypeNames spells pg_query's internal type names the way people write
// them.
var sqlTypeNames = map[string]string{
	"int2": "smallint", "int4": "integer", "int8": "bigint",
	"float4": "real", "float8": "double precision", "bool": "boolean",
	"bpchar": "char", "varbit": "bit varying",
	"timestamp": "timestamp", "timestamptz": "timestamptz",
}

// typeSQL renders a type name for messages: varchar(255), integer[].
func typeSQL(tn *pg.TypeName) string {
	if tn == nil {
		return "?"
	}
	var b strings.Builder
	mods, modsOK := typeMods(tn)
	if name := builtinType(tn); name != "" {
		if sql, ok := sqlTypeNames[name]; ok && (name != "bpchar" || len(mods) > 0) {
			name = sql
		}
		b.WriteString(name)
	} else {
		for i, n := range tn.Names {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(n.GetString_().GetSval())
		}
	}
	if modsOK && len(mods) > 0 {
		b.WriteByte('(')
		for i, m := range mods {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, m)
		}
		b.WriteByte(')')
	}
	for range tn.ArrayBounds {
		b.WriteString("[]")
	}
	return b.String()
}

// columnTypeSite is a place where a migration gives a column its type.
type columnTypeSite struct {
	st     *Stmt
	table  *pg.RangeVar
	column string
	typ    *pg.TypeName
}

// columnTypeSites lists the column types written in CREATE TABLE (and
// CREATE FOREIGN TABLE), ALTER TABLE ... ADD COLUMN and ALTER TABLE ...
// ALTER COLUMN ... TYPE, in statement order.
func columnTypeSites(stmts []*Stmt) []columnTypeSite {
	var out []columnTypeSite
	for _, st := range stmts {
		create := st.Node.GetCreateStmt()
		if f := st.Node.GetCreateForeignTableStmt(); f != nil {
			create = f.BaseStmt
		}
		if create != nil {
			for _, e := range create.TableElts {
				if def := e.GetColumnDef(); def != nil && def.TypeName != nil {
					out = append(out, columnTypeSite{st, create.Relation, def.Colname, def.TypeName})
				}
			}
			continue
		}
		at := st.Node.GetAlterTableStmt()
		if at == nil {
			continue
		}
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			def := cmd.GetDef().GetColumnDef()
			if def == nil || def.TypeName == nil {
				continue
			}
			switch cmd.Subtype {
			case pg.AlterTableType_AT_AddColumn:
				out = append(out, columnTypeSite{st, at.Relation, def.Colname, def.TypeName})
			case pg.AlterTableType_AT_AlterColumnType:
				out = append(out, columnTypeSite{st, at.Relation, cmd.Name, def.TypeName})
			}
		}
	}
	return out
}

// runTypeStyle builds the Run function of a rule about column types: msg
// returns the message for a column whose type the rule objects to, or "".
// Down scripts are skipped: they restore the types the schema had before.
func runTypeStyle(msg func(site columnTypeSite, name string) string) func(*Pass) error {
	return func(p *Pass) error {
		if p.Direction == finding.Down {
			return nil
		}
		for _, site := range columnTypeSites(p.Statements) {
			if m := msg(site, builtinType(site.typ)); m != "" {
				p.ReportAt(site.st, site.typ.Location, m)
			}
		}
		return nil
	}
}

// dmlNodes calls fn for n and for the statements in its WITH clauses
// (WITH d AS (DELETE ...) SELECT ...).
func dmlNodes(n *pg.Node, fn func(*pg.Node)) {
	if n == nil {
		return
	}
	fn(n)
	var with *pg.WithClause
	switch s := n.GetNode().(type) {
	case *pg.Node_SelectStmt:
		with = s.SelectStmt.WithClause
	case *pg.Node_InsertStmt:
		with = s.InsertStmt.WithClause
	case *pg.Node_UpdateStmt:
		with = s.UpdateStmt.WithClause
	case *pg.Node_DeleteStmt:
		with = s.DeleteStmt.WithClause
	case *pg.Node_MergeStmt:
		with = s.MergeStmt.WithClause
	}
	for _, c := range with.GetCtes() {
		dmlNodes(c.GetCommonTableExpr().GetCtequery(), fn)
	}
}

// droppedObject is one object named by a DROP statement, with the location
// of its name (-1 when the name cannot be found in the text).
type droppedObject struct {
	schema, name string
	loc          int32
}

// droppedObjects lists the objects of kind that st drops, in order, each
// at its own name: pg_query gives no location for them.
func droppedObjects(st *Stmt, kind pg.ObjectType) []droppedObject {
	drop := st.Node.GetDropStmt()
	if drop == nil || drop.RemoveType != kind {
		return nil
	}
	idents := stmtIdents(st)
	after := int32(-1)
	var out []droppedObject
	for _, obj := range drop.Objects {
		schema, name := dropObjectName(obj)
		if name == "" {
			continue
		}
		loc := nameLoc(idents, name, after)
		if loc >= 0 {
			after = loc
		}
		out = append(out, droppedObject{schema: schema, name: name, loc: loc})
	}
	return out
}
