package checks

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// Schema is what earlier migrations established that decides whether a
// later statement is safe: the constraints added NOT VALID and not yet
// validated, the columns a validated CHECK (col IS NOT NULL) covers, and the
// declared column types, and the table of each index. The lint walks
// migrations in order and applies each up script to it.
type Schema struct {
	// notValid maps "table.constraint" of a NOT VALID constraint to the
	// column it proves not null, or "" for other constraints.
	notValid map[string]string
	// notNull holds "table.column" covered by a validated IS NOT NULL check.
	notNull map[string]bool
	// types maps "table.column" to its declared type.
	types map[string]*pg.TypeName
	// indexTables maps an index (RelKey) to the table CREATE INDEX built
	// it on: DROP INDEX names only the index, but locks its table.
	indexTables map[string]*pg.RangeVar
}

// NewSchema returns the empty schema that precedes the first migration.
func NewSchema() *Schema {
	return &Schema{notValid: map[string]string{}, notNull: map[string]bool{}, types: map[string]*pg.TypeName{},
		indexTables: map[string]*pg.RangeVar{}}
}

// IndexTable returns the table of the index named idx, when an earlier
// CREATE INDEX said it; nil otherwise.
func (s *Schema) IndexTable(idx *pg.RangeVar) *pg.RangeVar {
	return s.indexTables[rel(idx)]
}

// noteIndexes records the tables of the indexes the statements create and
// forgets those they drop. Apply calls it; so does Check for an up script
// before its down, whose DROP INDEX usually drops what the up created.
func (s *Schema) noteIndexes(stmts []*Stmt) {
	for _, st := range stmts {
		switch n := st.Node.GetNode().(type) {
		case *pg.Node_IndexStmt:
			if ix := n.IndexStmt; ix.Idxname != "" && ix.Relation != nil {
				// An index lives in the schema of its table.
				s.indexTables[RelKey(ix.Relation.Schemaname, ix.Idxname)] = ix.Relation
			}
		case *pg.Node_DropStmt:
			if n.DropStmt.RemoveType == pg.ObjectType_OBJECT_INDEX {
				for _, o := range n.DropStmt.Objects {
					if rv := nameRangeVar(o, 0); rv != nil {
						delete(s.indexTables, rel(rv))
					}
				}
			}
		}
	}
}

// HasNotNullCheck reports whether a validated CHECK (col IS NOT NULL)
// covers the column, so that SET NOT NULL needs no scan (PostgreSQL 12+).
func (s *Schema) HasNotNullCheck(table *pg.RangeVar, col string) bool {
	return s.notNull[rel(table)+"."+col]
}

// ColumnType returns the column's type as an earlier migration declared it.
func (s *Schema) ColumnType(table *pg.RangeVar, col string) *pg.TypeName {
	return s.types[rel(table)+"."+col]
}

// Apply records what the statements of one script establish.
func (s *Schema) Apply(stmts []*Stmt) {
	s.noteIndexes(stmts)
	for _, st := range stmts {
		switch n := st.Node.GetNode().(type) {
		case *pg.Node_CreateStmt:
			t := rel(n.CreateStmt.Relation)
			for _, e := range n.CreateStmt.TableElts {
				if def := e.GetColumnDef(); def != nil {
					s.types[t+"."+def.Colname] = def.TypeName
				}
				if c := e.GetConstraint(); c != nil {
					s.constraint(t, c, true)
				}
			}
		case *pg.Node_AlterTableStmt:
			t := rel(n.AlterTableStmt.Relation)
			for _, c := range n.AlterTableStmt.Cmds {
				cmd := c.GetAlterTableCmd()
				if cmd == nil {
					continue
				}
				switch cmd.Subtype {
				case pg.AlterTableType_AT_AddColumn:
					if def := cmd.GetDef().GetColumnDef(); def != nil {
						s.types[t+"."+def.Colname] = def.TypeName
					}
				case pg.AlterTableType_AT_AlterColumnType:
					if def := cmd.GetDef().GetColumnDef(); def != nil {
						s.types[t+"."+cmd.Name] = def.TypeName
					}
				case pg.AlterTableType_AT_AddConstraint:
					if con := cmd.GetDef().GetConstraint(); con != nil {
						s.constraint(t, con, false)
					}
				case pg.AlterTableType_AT_ValidateConstraint:
					key := t + "." + cmd.Name
					if col, ok := s.notValid[key]; ok {
						if col != "" {
							s.notNull[t+"."+col] = true
						}
						delete(s.notValid, key)
					}
				case pg.AlterTableType_AT_DropConstraint:
					delete(s.notValid, t+"."+cmd.Name)
				}
			}
		}
	}
}

func (s *Schema) constraint(table string, c *pg.Constraint, inCreate bool) {
	if c.Contype != pg.ConstrType_CONSTR_CHECK {
		if c.SkipValidation && c.Conname != "" {
			s.notValid[table+"."+c.Conname] = ""
		}
		return
	}
	col := NotNullCheckColumn(c.RawExpr)
	if c.SkipValidation && !inCreate {
		if c.Conname != "" {
			s.notValid[table+"."+c.Conname] = col
		}
		return
	}
	if col != "" {
		s.notNull[table+"."+col] = true
	}
}

// NotNullCheckColumn returns col when expr is "col IS NOT NULL".
func NotNullCheckColumn(expr *pg.Node) string {
	nt := expr.GetNullTest()
	if nt == nil || nt.Nulltesttype != pg.NullTestType_IS_NOT_NULL {
		return ""
	}
	ref := nt.Arg.GetColumnRef()
	if ref == nil || len(ref.Fields) != 1 {
		return ""
	}
	return strings.ToLower(ref.Fields[0].GetString_().GetSval())
}
