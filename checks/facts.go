package checks

import (
	"encoding/json"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemagate/schemagate/internal/migrations"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// facts are computed once per script and shared by every rule.
type facts struct {
	// created maps a relation key ("users", "audit.log") or a column key
	// ("users.email") to the index of the statement that created it.
	created map[string]int
	// upCreated holds what the up script created, for its down script.
	upCreated map[string]bool
}

func (f *facts) isNew(key string, before *Stmt) bool {
	i, ok := f.created[key]
	return ok && (before == nil || i < before.Pos)
}

// RelKey names a relation the way the rules compare them: lower case as
// PostgreSQL folds it, and without the default "public" schema.
func RelKey(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "." + name
}

// Prepare builds the statements of a script with their context. upCreated
// is what the migration's up script created (nil when linting an up).
func prepare(script *migrations.Script, parsed *sqlparse.Script, upCreated map[string]bool) ([]*Stmt, *facts) {
	var stmts []*Stmt
	// functions holds the PL/pgSQL functions this script creates: a later
	// SELECT f() or CALL f() runs their statements during the migration.
	functions := map[string]*sqlparse.Statement{}
	for _, s := range parsed.Statements {
		st := &Stmt{Statement: s}
		stmts = append(stmts, st)
		var inner []*Stmt
		if do := s.Node.GetDoStmt(); do != nil {
			inner = embedded(parsed.File, s, s, do.Args)
		} else if fn := s.Node.GetCreateFunctionStmt(); fn != nil {
			functions[qualifiedName(fn.Funcname)] = s
		} else {
			for _, name := range calledFunctions(s.Node) {
				if def := functions[name]; def != nil {
					inner = append(inner, embedded(parsed.File, s, def, def.Node.GetCreateFunctionStmt().Options)...)
				}
			}
		}
		for _, e := range inner {
			e.Embedded, e.Parent = true, st
			stmts = append(stmts, e)
		}
	}
	for i, st := range stmts {
		st.Pos = i
	}
	markTransactions(script.Tx, stmts)

	f := &facts{created: map[string]int{}, upCreated: upCreated}
	for _, st := range stmts {
		// A renamed relation is new only if it was new under its old name.
		if r := st.Node.GetRenameStmt(); r != nil && r.RenameType == pg.ObjectType_OBJECT_TABLE && r.Relation != nil {
			if f.isNew(rel(r.Relation), st) {
				f.created[RelKey(r.Relation.Schemaname, r.Newname)] = st.Pos
			}
			continue
		}
		for _, key := range creates(st.Node) {
			if _, ok := f.created[key]; !ok {
				f.created[key] = st.Pos
			}
		}
	}
	return stmts, f
}

// markTransactions sets InTx, TxEnd and LockTimeout on every statement.
func markTransactions(mode migrations.TxMode, stmts []*Stmt) {
	top := 0
	for _, st := range stmts {
		if !st.Embedded {
			top++
		}
	}
	wrapped := mode == migrations.TxWrapped || (mode == migrations.TxImplicit && top > 1)

	// last[i] is the index of the last statement that belongs to top-level
	// statement i: its own, or that of the last statement of its DO block.
	last := make([]int, len(stmts))
	for i, st := range stmts {
		last[i] = i
		if st.Embedded {
			last[st.Parent.Pos] = i
		}
	}

	inTx, timeout, localTimeout := wrapped, false, false
	start := 0
	closeTx := func(end int) {
		for _, s := range stmts[start : end+1] {
			if s.InTx {
				s.TxEnd = end
			}
		}
	}
	for i, st := range stmts {
		if st.Embedded {
			// A DO block runs atomically: its inner statements are in a
			// transaction even when the block itself is not.
			st.InTx, st.LockTimeout = true, st.Parent.LockTimeout
			continue
		}
		st.InTx, st.TxEnd = inTx, last[i]
		st.LockTimeout = timeout || localTimeout
		switch n := st.Node.GetNode().(type) {
		case *pg.Node_TransactionStmt:
			switch n.TransactionStmt.Kind {
			case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
				if !inTx {
					inTx, start = true, i
					st.InTx = true
				}
			case pg.TransactionStmtKind_TRANS_STMT_COMMIT, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
				if inTx && !wrapped {
					closeTx(i)
					inTx, localTimeout = false, false
					start = i + 1
				}
			}
		case *pg.Node_VariableSetStmt:
			if strings.EqualFold(n.VariableSetStmt.Name, "lock_timeout") {
				on := setsNonZero(n.VariableSetStmt)
				if n.VariableSetStmt.IsLocal {
					localTimeout = on && inTx
				} else {
					timeout = on
				}
			}
		default:
			if on, ok := setConfigLockTimeout(st.Node); ok {
				timeout = on
			}
		}
	}
	if inTx && len(stmts) > 0 {
		closeTx(len(stmts) - 1)
	}
	// Embedded statements end their transaction where their DO block does.
	for _, st := range stmts {
		if st.Embedded {
			st.TxEnd = st.Parent.TxEnd
		}
	}
}

// setsNonZero reports whether SET lock_timeout gives a limit (0 and
// DEFAULT mean none, unless the server default was changed).
func setsNonZero(s *pg.VariableSetStmt) bool {
	if s.Kind != pg.VariableSetKind_VAR_SET_VALUE || len(s.Args) == 0 {
		return false
	}
	c := s.Args[0].GetAConst()
	if c == nil {
		return true
	}
	if iv := c.GetIval(); iv != nil {
		return iv.Ival != 0
	}
	if sv := c.GetSval(); sv != nil {
		return strings.ContainsAny(sv.Sval, "123456789")
	}
	return true
}

// setConfigLockTimeout recognises SELECT set_config('lock_timeout', '5s', ...).
func setConfigLockTimeout(n *pg.Node) (on, ok bool) {
	sel := n.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return false, false
	}
	fc := sel.TargetList[0].GetResTarget().GetVal().GetFuncCall()
	if fc == nil || funcName(fc) != "set_config" || len(fc.Args) < 2 {
		return false, false
	}
	if strings.ToLower(fc.Args[0].GetAConst().GetSval().GetSval()) != "lock_timeout" {
		return false, false
	}
	return strings.ContainsAny(fc.Args[1].GetAConst().GetSval().GetSval(), "123456789"), true
}

// creates lists the keys of the relations and columns a statement creates.
func creates(n *pg.Node) []string {
	switch n := n.GetNode().(type) {
	case *pg.Node_CreateStmt:
		return []string{rel(n.CreateStmt.Relation)}
	case *pg.Node_CreateTableAsStmt:
		return []string{rel(n.CreateTableAsStmt.GetInto().GetRel())}
	case *pg.Node_ViewStmt:
		return []string{rel(n.ViewStmt.View)}
	case *pg.Node_CreateSeqStmt:
		return []string{rel(n.CreateSeqStmt.Sequence)}
	case *pg.Node_IndexStmt:
		if n.IndexStmt.Idxname != "" {
			return []string{RelKey(n.IndexStmt.Relation.GetSchemaname(), n.IndexStmt.Idxname)}
		}
	case *pg.Node_CompositeTypeStmt:
		return []string{rel(n.CompositeTypeStmt.Typevar)}
	case *pg.Node_AlterTableStmt:
		var keys []string
		for _, c := range n.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_AddColumn {
				continue
			}
			if def := cmd.GetDef().GetColumnDef(); def != nil {
				keys = append(keys, rel(n.AlterTableStmt.Relation)+"."+def.Colname)
			}
		}
		return keys
	}
	return nil
}

func rel(rv *pg.RangeVar) string {
	if rv == nil {
		return ""
	}
	return RelKey(rv.Schemaname, rv.Relname)
}

// funcName is the unqualified name of a called function.
func funcName(fc *pg.FuncCall) string {
	if len(fc.Funcname) == 0 {
		return ""
	}
	return strings.ToLower(fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval())
}

// qualifiedName names a function the way calls are matched: lower case,
// without the default "public" schema.
func qualifiedName(names []*pg.Node) string {
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, strings.ToLower(n.GetString_().GetSval()))
	}
	if len(parts) == 2 && parts[0] == "public" {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// calledFunctions lists the functions a statement calls at its top level:
// SELECT f(), SELECT s.f(x), CALL p().
func calledFunctions(n *pg.Node) []string {
	if c := n.GetCallStmt(); c != nil && c.Funccall != nil {
		return []string{qualifiedName(c.Funccall.Funcname)}
	}
	sel := n.GetSelectStmt()
	if sel == nil {
		return nil
	}
	var out []string
	for _, t := range sel.TargetList {
		if fc := t.GetResTarget().GetVal().GetFuncCall(); fc != nil {
			out = append(out, qualifiedName(fc.Funcname))
		}
	}
	return out
}

// embedded returns the SQL statements with static text in the PL/pgSQL
// body that def (a DO block or a CREATE FUNCTION, whose options are given)
// runs when st executes: plain statements and EXECUTE of a string literal.
// Each is placed at its own line in def's text in the file when it can be
// found there.
func embedded(f *sqlparse.File, st, def *sqlparse.Statement, options []*pg.Node) []*Stmt {
	body, lang := "", "plpgsql"
	for _, a := range options {
		d := a.GetDefElem()
		switch d.GetDefname() {
		case "as":
			body = d.GetArg().GetString_().GetSval()
			if l := d.GetArg().GetList(); l != nil && len(l.Items) > 0 {
				body = l.Items[0].GetString_().GetSval() // CREATE FUNCTION: AS 'body'
			}
		case "language":
			lang = d.GetArg().GetString_().GetSval()
		}
	}
	if body == "" || lang != "plpgsql" {
		return nil
	}
	js, err := pg.ParsePlPgSqlToJSON("CREATE FUNCTION schemagate_do() RETURNS void LANGUAGE plpgsql AS $schemagate$" +
		body + "$schemagate$")
	if err != nil {
		return nil
	}
	var tree any
	if json.Unmarshal([]byte(js), &tree) != nil {
		return nil
	}
	// A dollar-quoted body stands verbatim in the file; a quoted one may
	// not, and its statements are then placed at the definition.
	bodyStart := def.Start
	if i := strings.Index(def.Text, body); i >= 0 {
		bodyStart = def.Start + i
	}
	var out []*Stmt
	walkPlpgsql(tree, func(query string, literal bool, lineno int) {
		text := query
		if literal {
			if len(text) < 2 || text[0] != '\'' || text[len(text)-1] != '\'' {
				return // EXECUTE of an expression: only the live trace sees it
			}
			text = strings.ReplaceAll(text[1:len(text)-1], "''", "'")
		}
		tree, err := pg.Parse(text)
		if err != nil || len(tree.Stmts) != 1 {
			return
		}
		// Find the text in the file, searching from the line the PL/pgSQL
		// parser gives (counted from the line the body starts on).
		from := max(f.LineStart(f.Position(bodyStart).Line+lineno-1), bodyStart)
		base := def.Start
		if from <= def.End {
			if i := strings.Index(f.Text[from:def.End], text); i >= 0 {
				base = from + i
			} else if i := strings.Index(f.Text[from:def.End], strings.SplitN(text, "\n", 2)[0]); i >= 0 {
				base = from + i
			}
		}
		end := min(base+len(text), def.End)
		out = append(out, &Stmt{Statement: &sqlparse.Statement{
			Index: st.Index, Start: base, End: end, Text: text, Node: tree.Stmts[0].Stmt, Base: base,
		}})
	})
	return out
}

// walkPlpgsql calls fn for every static SQL statement in a PL/pgSQL JSON tree.
func walkPlpgsql(v any, fn func(query string, literal bool, lineno int)) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			walkPlpgsql(e, fn)
		}
	case map[string]any:
		for k, e := range v {
			m, _ := e.(map[string]any)
			switch k {
			case "PLpgSQL_stmt_execsql":
				fn(plExpr(m["sqlstmt"]), false, plLine(m))
				continue
			case "PLpgSQL_stmt_dynexecute":
				fn(plExpr(m["query"]), true, plLine(m))
				continue
			}
			walkPlpgsql(e, fn)
		}
	}
}

func plExpr(v any) string {
	m, _ := v.(map[string]any)
	e, _ := m["PLpgSQL_expr"].(map[string]any)
	q, _ := e["query"].(string)
	return q
}

func plLine(m map[string]any) int {
	n, _ := m["lineno"].(float64)
	if n < 1 {
		return 1
	}
	return int(n)
}
