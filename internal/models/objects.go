package models

import (
	"strings"
)

// The catalog gives every object as Kind, Name and Def strings (see
// internal/catalog). The comparison needs some structure: which table a
// column, constraint or index belongs to, a column's type apart from its
// default, a constraint's columns. This file reads it back from the
// strings, which PostgreSQL printed with fixed settings, so their shape is
// known.

// splitName splits a qualified name as the catalog prints it (each part
// quoted only when needed: public."Mixed Case".id) into its parts, still
// quoted.
func splitName(name string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '"':
			quoted = !quoted // "" inside a quoted name toggles twice
		case c == '.' && !quoted:
			parts = append(parts, name[start:i])
			start = i + 1
		}
	}
	return append(parts, name[start:])
}

// owner splits the name of an object that belongs to a relation (column,
// constraint, trigger, policy, rule: schema.table.name) into the
// relation's qualified name and the object's own name.
func owner(name string) (rel, own string) {
	parts := splitName(name)
	if len(parts) < 2 {
		return "", name
	}
	n := len(parts) - 1
	return strings.Join(parts[:n], "."), parts[n]
}

// unquote removes the double quotes of an identifier, if any.
func unquote(id string) string {
	if len(id) >= 2 && id[0] == '"' && id[len(id)-1] == '"' {
		return strings.ReplaceAll(id[1:len(id)-1], `""`, `"`)
	}
	return id
}

// short is a qualified name as people write it: without the public
// schema.
func short(name string) string {
	if rest, ok := strings.CutPrefix(name, "public."); ok {
		return rest
	}
	return name
}

// display shortens a definition for people: names in the public schema
// lose their qualification (not in string literals), as search_path
// finds them.
func display(def string) string {
	if !strings.Contains(def, "public.") {
		return def
	}
	var b strings.Builder
	literal := false
	for i := 0; i < len(def); {
		if def[i] == '\'' {
			literal = !literal // '' inside a literal toggles twice
		}
		if !literal && strings.HasPrefix(def[i:], "public.") && (i == 0 || !identChar(def[i-1])) {
			i += len("public.")
			continue
		}
		b.WriteByte(def[i])
		i++
	}
	return b.String()
}

func identChar(c byte) bool {
	return c == '_' || c == '"' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// topIndex returns the first index in s, outside quotes and parentheses,
// where one of markers starts, and which; -1 when there is none.
func topIndex(s string, markers ...string) (int, string) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and opens again
			}
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if depth == 0 {
			for _, m := range markers {
				if strings.HasPrefix(s[i:], m) {
					return i, m
				}
			}
		}
	}
	return -1, ""
}

// closing returns the index of the parenthesis that closes the one at
// s[open], or -1.
func closing(s string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitList splits a comma-separated list at its top level.
func splitList(s string) []string {
	var out []string
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			return out
		}
		i, _ := topIndex(s, ",")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, strings.TrimSpace(s[:i]))
		s = s[i+1:]
	}
}

// column is a column's definition in parts, as the catalog prints it:
// type, COLLATE, NOT NULL, DEFAULT or GENERATED ... STORED, identity, and
// the rest (storage, compression, statistics, options).
type column struct {
	Type, Collation string
	NotNull         bool
	Default         string
	Generated       string
	Identity        string // "ALWAYS" or "BY DEFAULT"
	Rest            string
}

// String is the definition again, as the catalog prints it.
func (c column) String() string {
	var b strings.Builder
	b.WriteString(c.Type)
	if c.Collation != "" {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if c.NotNull {
		b.WriteString(" NOT NULL")
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.Generated != "" {
		b.WriteString(" GENERATED ALWAYS AS (" + c.Generated + ") STORED")
	}
	if c.Identity != "" {
		b.WriteString(" GENERATED " + c.Identity + " AS IDENTITY")
	}
	if c.Rest != "" {
		b.WriteString(" " + c.Rest)
	}
	return b.String()
}

var columnMarkers = []string{" COLLATE ", " NOT NULL", " DEFAULT ", " GENERATED ", " STORAGE ", " COMPRESSION ", " STATISTICS ", " WITH (", " OPTIONS ("}

func parseColumn(def string) column {
	var c column
	i, _ := topIndex(def, columnMarkers...)
	if i < 0 {
		c.Type = def
		return c
	}
	c.Type, def = def[:i], def[i:]
	for def != "" {
		switch {
		case strings.HasPrefix(def, " COLLATE "):
			def = def[len(" COLLATE "):]
			end, _ := topIndex(def, " ")
			if end < 0 {
				end = len(def)
			}
			c.Collation, def = def[:end], def[end:]
		case strings.HasPrefix(def, " NOT NULL"):
			c.NotNull, def = true, def[len(" NOT NULL"):]
		case strings.HasPrefix(def, " DEFAULT "):
			def = def[len(" DEFAULT "):]
			end, _ := topIndex(def, columnMarkers[3:]...)
			if end < 0 {
				end = len(def)
			}
			c.Default, def = def[:end], def[end:]
		case strings.HasPrefix(def, " GENERATED ALWAYS AS IDENTITY"):
			c.Identity, def = "ALWAYS", def[len(" GENERATED ALWAYS AS IDENTITY"):]
		case strings.HasPrefix(def, " GENERATED BY DEFAULT AS IDENTITY"):
			c.Identity, def = "BY DEFAULT", def[len(" GENERATED BY DEFAULT AS IDENTITY"):]
		case strings.HasPrefix(def, " GENERATED ALWAYS AS ("):
			open := len(" GENERATED ALWAYS AS ")
			end := closing(def, open)
			if end < 0 {
				c.Rest, def = strings.TrimSpace(def), ""
				continue
			}
			c.Generated, def = def[open+1:end], def[end+1:]
			def = strings.TrimPrefix(strings.TrimPrefix(def, " STORED"), " VIRTUAL")
		default:
			c.Rest, def = strings.TrimSpace(def), ""
		}
	}
	return c
}

// constraint is a constraint's definition (pg_get_constraintdef) in parts.
type constraint struct {
	// Type is "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK" or
	// "EXCLUDE".
	Type string
	// Columns are the key columns (unquoted), RefTable and RefColumns the
	// referenced ones of a foreign key.
	Columns    []string
	RefTable   string
	RefColumns []string
	// Expr is a check constraint's expression, without the parentheses
	// CHECK adds.
	Expr string
	// OnDelete, OnUpdate are the foreign key's actions ("CASCADE", "SET
	// NULL"...), "" for NO ACTION.
	OnDelete, OnUpdate string
	// Match is "FULL" for a foreign key MATCH FULL, "" for MATCH SIMPLE.
	Match      string
	Deferrable string // "DEFERRABLE" or "DEFERRABLE INITIALLY DEFERRED"
}

func parseConstraint(def string) constraint {
	var c constraint
	for _, t := range []string{"PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK", "EXCLUDE"} {
		if strings.HasPrefix(def, t) {
			c.Type = t
			break
		}
	}
	rest := strings.TrimSpace(def[len(c.Type):])
	rest = strings.TrimPrefix(rest, "NULLS NOT DISTINCT ")
	switch c.Type {
	case "PRIMARY KEY", "UNIQUE", "FOREIGN KEY":
		c.Columns, rest = columnList(rest)
	case "CHECK":
		if strings.HasPrefix(rest, "(") {
			end := closing(rest, 0)
			if end > 0 {
				c.Expr = strings.TrimSpace(rest[1:end])
				if strings.HasPrefix(c.Expr, "(") && closing(c.Expr, 0) == len(c.Expr)-1 {
					c.Expr = c.Expr[1 : len(c.Expr)-1]
				}
				rest = rest[end+1:]
			}
		}
	}
	if c.Type == "FOREIGN KEY" {
		rest = strings.TrimPrefix(strings.TrimSpace(rest), "REFERENCES ")
		if open := strings.IndexByte(rest, '('); open > 0 {
			c.RefTable = rest[:open]
			c.RefColumns, rest = columnList(rest[open:])
		}
		if strings.Contains(rest, " MATCH FULL") {
			c.Match = "FULL"
		}
		for _, a := range []struct {
			kw  string
			dst *string
		}{{"ON UPDATE ", &c.OnUpdate}, {"ON DELETE ", &c.OnDelete}} {
			if i := strings.Index(rest, a.kw); i >= 0 {
				v := rest[i+len(a.kw):]
				end, _ := topIndex(v, " ON ", " DEFERRABLE", " NOT VALID", " MATCH")
				if end < 0 {
					end = len(v)
				}
				*a.dst = v[:end]
			}
		}
	}
	switch {
	case strings.Contains(rest, "DEFERRABLE INITIALLY DEFERRED"):
		c.Deferrable = "DEFERRABLE INITIALLY DEFERRED"
	case strings.Contains(rest, "NOT DEFERRABLE"):
	case strings.Contains(rest, "DEFERRABLE"):
		c.Deferrable = "DEFERRABLE"
	}
	return c
}

// columnList reads "(a, "B c")" at the start of s: the unquoted names and
// what follows.
func columnList(s string) ([]string, string) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return nil, s
	}
	end := closing(s, 0)
	if end < 0 {
		return nil, s
	}
	var cols []string
	for _, c := range splitList(s[1:end]) {
		cols = append(cols, unquote(c))
	}
	return cols, s[end+1:]
}

// constraintKinds name constraint types in the user's terms.
var constraintKinds = map[string]string{
	"PRIMARY KEY": "primary key", "UNIQUE": "unique constraint", "FOREIGN KEY": "foreign key",
	"CHECK": "check constraint", "EXCLUDE": "exclusion constraint",
}

func (c constraint) kind() string {
	if k, ok := constraintKinds[c.Type]; ok {
		return k
	}
	return "constraint"
}

// key is what makes two constraints of a table named otherwise the same
// constraint defined otherwise: the type and key columns, and for a
// foreign key the referenced table and columns; a table has one primary
// key whatever its columns. Check and exclusion constraints have no key
// here: "" pairs none.
func (c constraint) key() string {
	switch c.Type {
	case "PRIMARY KEY":
		return c.Type
	case "UNIQUE":
		return c.Type + " (" + strings.Join(c.Columns, ", ") + ")"
	case "FOREIGN KEY":
		return c.Type + " (" + strings.Join(c.Columns, ", ") + ") " + c.RefTable + " (" + strings.Join(c.RefColumns, ", ") + ")"
	}
	return ""
}

// hasIndex says whether PostgreSQL builds an index for the constraint,
// named as the constraint.
func (c constraint) hasIndex() bool {
	return c.Type == "PRIMARY KEY" || c.Type == "UNIQUE" || c.Type == "EXCLUDE"
}

// index is an index's definition (as pg_get_indexdef) in parts.
type index struct {
	Unique bool
	Name   string // as printed: quoted when needed
	Table  string // qualified
	Method string
	// Keys are the key columns or expressions as printed, with their
	// collation, operator class and order.
	Keys []string
	// Tail is what follows the key list: INCLUDE, NULLS NOT DISTINCT,
	// WITH, WHERE, INVALID.
	Tail string
	// Anonymous is the definition without the index's name, which
	// matches the same index under another name.
	Anonymous string
}

func parseIndex(def string) index {
	var x index
	rest, ok := strings.CutPrefix(def, "CREATE ")
	if !ok {
		return index{Anonymous: def}
	}
	if r, ok := strings.CutPrefix(rest, "UNIQUE "); ok {
		x.Unique, rest = true, r
	}
	rest = strings.TrimPrefix(rest, "INDEX ")
	on, _ := topIndex(rest, " ON ")
	if on < 0 {
		return index{Anonymous: def}
	}
	x.Name = rest[:on]
	x.Anonymous = def[:len(def)-len(rest)] + rest[on+1:]
	rest = strings.TrimPrefix(rest[on+len(" ON "):], "ONLY ")
	using, _ := topIndex(rest, " USING ")
	if using < 0 {
		return x
	}
	x.Table, rest = rest[:using], rest[using+len(" USING "):]
	open := strings.IndexByte(rest, '(')
	if open < 0 {
		return x
	}
	x.Method = strings.TrimSpace(rest[:open])
	end := closing(rest, open)
	if end < 0 {
		return x
	}
	x.Keys = splitList(rest[open+1 : end])
	x.Tail = strings.TrimSpace(rest[end+1:])
	return x
}

// key is what makes two indexes of a table named otherwise the same index
// defined otherwise: their key columns or expressions.
func (x index) key() string {
	if len(x.Keys) == 0 {
		return ""
	}
	return x.Table + " (" + strings.Join(x.Keys, ", ") + ")"
}

// describe is the index for people: "unique (email)", "gin (tags) WHERE ...".
func (x index) describe() string {
	var b strings.Builder
	if x.Unique {
		b.WriteString("unique ")
	}
	if x.Method != "btree" && x.Method != "" {
		b.WriteString(x.Method + " ")
	}
	b.WriteString("(" + strings.Join(x.Keys, ", ") + ")")
	if x.Tail != "" {
		b.WriteString(" " + x.Tail)
	}
	return display(b.String())
}

// sequenceOwner returns the column that owns a sequence (OWNED BY), as a
// qualified name, and the definition without the sequence's name and
// owner, which matches the same sequence under another name.
func sequenceOwner(def string) (col, anonymous string) {
	anonymous = def
	if i := strings.LastIndex(def, " OWNED BY "); i >= 0 {
		col, anonymous = def[i+len(" OWNED BY "):], def[:i]
	}
	if rest, ok := strings.CutPrefix(anonymous, "CREATE SEQUENCE "); ok {
		if sp, _ := topIndex(rest, " "); sp >= 0 {
			anonymous = "CREATE SEQUENCE" + rest[sp:]
		}
	}
	return col, anonymous
}

// enumLabels returns the labels of an enum's definition, quoted.
func enumLabels(def string) []string {
	i, _ := topIndex(def, " AS ENUM (")
	if i < 0 {
		return nil
	}
	open := i + len(" AS ENUM ")
	end := closing(def, open)
	if end < 0 {
		return nil
	}
	return splitList(def[open+1 : end])
}

// shortType is a type as people write it: varchar(30) for character
// varying(30), timestamptz for timestamp with time zone.
func shortType(t string) string {
	for _, r := range typeNames {
		if strings.HasPrefix(t, r[0]) {
			rest := t[len(r[0]):]
			if rest == "" || rest[0] == '(' || rest[0] == '[' {
				return r[1] + rest
			}
		}
	}
	// timestamp(3) with time zone
	for _, z := range []struct{ long, short string }{{"timestamp", "timestamptz"}, {"time", "timetz"}} {
		if strings.HasPrefix(t, z.long+"(") {
			if p := strings.Index(t, ") with time zone"); p > 0 {
				return z.short + t[len(z.long):p+1] + t[p+len(") with time zone"):]
			}
			if p := strings.Index(t, ") without time zone"); p > 0 {
				return t[:p+1] + t[p+len(") without time zone"):]
			}
		}
	}
	return display(t)
}

var typeNames = [][2]string{
	{"character varying", "varchar"},
	{"character", "char"},
	{"timestamp with time zone", "timestamptz"},
	{"timestamp without time zone", "timestamp"},
	{"time with time zone", "timetz"},
	{"time without time zone", "time"},
	{"bit varying", "varbit"},
}
