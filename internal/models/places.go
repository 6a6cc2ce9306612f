package models

import (
	"os"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Places are where the models define each object, by "kind name" with every
// part of the name unquoted: "relation public.users" (a table, view or
// materialized view), "column public.users.email", "constraint
// public.users.users_pkey", "index public.ix_users_email", "enum
// public.mood".
type Places map[string]Place

// Place is a position in the models' source (or a migration's), with the
// text of its line.
type Place struct {
	finding.Location
	Excerpt string
	// Migration is the id of the migration the place is in, if any.
	Migration string
}

// add notes a place; col 0 points at the line's first character that is
// not a space. The first place noted for a key wins.
func (p Places) add(key, file string, line, col int) {
	if _, ok := p[key]; ok || file == "" || line <= 0 {
		return
	}
	text := lineOf(file, line)
	if col == 0 {
		col = len(text) - len(strings.TrimLeft(text, " \t")) + 1
	}
	p[key] = Place{Location: finding.Location{File: file, Line: line, Column: col, EndLine: line}, Excerpt: text}
}

// lineOf reads line n of a file, "" when it cannot.
func lineOf(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return sqlparse.NewFile(path, string(b)).LineText(n)
}

// exact returns where the object of d itself is defined.
func (p Places) exact(d Drift) (Place, bool) {
	kind, name := placeKey(d)
	pl, ok := p[kind+" "+plainName(name)]
	return pl, ok
}

func placeKey(d Drift) (kind, name string) {
	kind, name = d.CatalogKind, d.Object
	if relationKinds[kind] {
		kind = "relation"
	}
	if i := strings.IndexByte(name, '('); i >= 0 && (kind == "function" || kind == "procedure" || kind == "aggregate") {
		name = name[:i]
	}
	return kind, name
}

// Lookup returns where the models define the object of d, or the relation
// it belongs to.
func (p Places) Lookup(d Drift) (Place, bool) {
	if pl, ok := p.exact(d); ok {
		return pl, true
	}
	if d.Near != "" {
		if pl, ok := p["column "+plainName(d.Near)]; ok {
			return pl, true
		}
	}
	if d.Table != "" {
		// A constraint or an index of one column is often declared on
		// the column (unique=True, index=True, ForeignKey).
		if len(d.Columns) == 1 {
			if pl, ok := p["column "+plainName(d.Table)+"."+d.Columns[0]]; ok {
				return pl, true
			}
		}
		pl, ok := p["relation "+plainName(d.Table)]
		return pl, ok
	}
	return Place{}, false
}

// plainName unquotes every part of a qualified name.
func plainName(name string) string {
	parts := splitName(name)
	for i := range parts {
		parts[i] = unquote(parts[i])
	}
	return strings.Join(parts, ".")
}

// addSQL notes where the statements of a models SQL file create each
// object.
func (p Places) addSQL(f *sqlparse.File, s *sqlparse.Script) {
	creates(s, func(key string, st *sqlparse.Statement, off int) {
		pos := f.Position(off)
		p.add(key, f.Path, pos.Line, pos.Col)
	})
}

// MigrationPlaces are where the migrations create each object: the last
// statement that does, for objects the models lack.
func MigrationPlaces(ms []migrations.Migration, parsed func(*migrations.Script) *sqlparse.Script) Places {
	p := Places{}
	for i := range ms {
		m := &ms[i]
		ps := parsed(m.Up)
		if m.Up == nil || ps == nil {
			continue
		}
		creates(ps, func(key string, st *sqlparse.Statement, off int) {
			loc, excerpt := checks.Locate(m.Up, off, st)
			p[key] = Place{Location: loc, Excerpt: excerpt, Migration: m.ID}
		})
	}
	return p
}

// creates calls at for each object the statements of s create, with the
// file offset of where they do. Names without a schema are in public,
// where an empty database's search_path puts them.
func creates(s *sqlparse.Script, found func(key string, st *sqlparse.Statement, off int)) {
	for _, st := range s.Statements {
		if st.Node == nil {
			continue
		}
		at := func(key string, loc int32) {
			off := st.Start
			if loc > 0 {
				off = st.Base + int(loc)
			}
			found(key, st, off)
		}
		switch n := st.Node.Node.(type) {
		case *pg.Node_CreateStmt:
			rel := rangeVar(n.CreateStmt.Relation)
			at("relation "+rel, 0)
			tableElements(at, rel, n.CreateStmt.TableElts)
		case *pg.Node_AlterTableStmt:
			rel := rangeVar(n.AlterTableStmt.Relation)
			for _, c := range n.AlterTableStmt.Cmds {
				if cmd := c.GetAlterTableCmd(); cmd != nil && cmd.Def != nil {
					tableElements(at, rel, []*pg.Node{cmd.Def})
				}
			}
		case *pg.Node_IndexStmt:
			schema := "public"
			if r := n.IndexStmt.Relation; r != nil && r.Schemaname != "" {
				schema = r.Schemaname
			}
			if n.IndexStmt.Idxname != "" {
				at("index "+schema+"."+n.IndexStmt.Idxname, 0)
			}
		case *pg.Node_CreateEnumStmt:
			at("enum "+qualified(n.CreateEnumStmt.TypeName), 0)
		case *pg.Node_CompositeTypeStmt:
			at("type "+rangeVar(n.CompositeTypeStmt.Typevar), 0)
		case *pg.Node_CreateDomainStmt:
			at("domain "+qualified(n.CreateDomainStmt.Domainname), 0)
		case *pg.Node_CreateSeqStmt:
			at("sequence "+rangeVar(n.CreateSeqStmt.Sequence), 0)
		case *pg.Node_ViewStmt:
			at("relation "+rangeVar(n.ViewStmt.View), 0)
		case *pg.Node_CreateTableAsStmt:
			if into := n.CreateTableAsStmt.Into; into != nil {
				at("relation "+rangeVar(into.Rel), 0)
			}
		case *pg.Node_CreateExtensionStmt:
			at("extension "+n.CreateExtensionStmt.Extname, 0)
		case *pg.Node_CreateSchemaStmt:
			at("schema "+n.CreateSchemaStmt.Schemaname, 0)
		case *pg.Node_CreateFunctionStmt:
			kind := "function"
			if n.CreateFunctionStmt.IsProcedure {
				kind = "procedure"
			}
			at(kind+" "+qualified(n.CreateFunctionStmt.Funcname), 0)
		case *pg.Node_CreateTrigStmt:
			at("trigger "+rangeVar(n.CreateTrigStmt.Relation)+"."+n.CreateTrigStmt.Trigname, 0)
		case *pg.Node_CreatePolicyStmt:
			at("policy "+rangeVar(n.CreatePolicyStmt.Table)+"."+n.CreatePolicyStmt.PolicyName, 0)
		}
	}
}

// tableElements notes the columns and named constraints of a CREATE TABLE
// or an ALTER TABLE ... ADD.
func tableElements(at func(string, int32), rel string, elts []*pg.Node) {
	for _, e := range elts {
		switch n := e.Node.(type) {
		case *pg.Node_ColumnDef:
			at("column "+rel+"."+n.ColumnDef.Colname, n.ColumnDef.Location)
			for _, c := range n.ColumnDef.Constraints {
				if con := c.GetConstraint(); con != nil && con.Conname != "" {
					at("constraint "+rel+"."+con.Conname, con.Location)
				}
			}
		case *pg.Node_Constraint:
			if n.Constraint.Conname != "" {
				at("constraint "+rel+"."+n.Constraint.Conname, n.Constraint.Location)
			}
		}
	}
}

func rangeVar(r *pg.RangeVar) string {
	if r == nil {
		return ""
	}
	schema := r.Schemaname
	if schema == "" {
		schema = "public"
	}
	return schema + "." + r.Relname
}

// qualified is a name given as a list of strings (types, functions).
func qualified(names []*pg.Node) string {
	var parts []string
	for _, n := range names {
		if s := n.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	if len(parts) == 1 {
		parts = append([]string{"public"}, parts...)
	}
	return strings.Join(parts, ".")
}
