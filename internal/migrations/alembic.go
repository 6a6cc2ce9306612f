package migrations

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Alembic is the convention of Alembic (alembic.sqlalchemy.org), the
// migration tool of SQLAlchemy: Python revision files whose upgrade() and
// downgrade() call op.create_table, op.add_column and so on.
//
//	alembic.ini                  [alembic] script_location = migrations
//	migrations/
//	  env.py
//	  versions/
//	    1a2b3c_create_users.py
//	    4d5e6f_add_users_email.py
//
//	revision = "4d5e6f"
//	down_revision = "1a2b3c"        # None for a base, a tuple for a merge
//	branch_labels = None
//	depends_on = None
//
//	def upgrade():
//	    op.add_column("users", sa.Column("email", sa.Text()))
//
//	def downgrade():
//	    op.drop_column("users", "email")
//
// The directory is the project root holding alembic.ini (whose
// script_location and version_locations say where the revisions are), or
// the script location itself (env.py and versions/). Revisions form a
// graph through down_revision and depends_on; Load orders it from base to
// heads, a parent before its children and ties by file name, and fails on
// a down_revision or depends_on that names no revision.
//
// Load reads only the revision graph: the SQL of a revision is what
// Alembic emits when it runs, and internal/alembic fills it in with
// Alembic itself. Until then each script is empty; Up and Down share one
// file (the up SQL, then the down SQL) whose path is the revision's .py,
// and Source is the .py itself. A downgrade() that is missing or only
// "pass" while upgrade() does something leaves Down nil.
type Alembic struct{}

// Name implements Format.
func (Alembic) Name() string { return "alembic" }

// Detect implements Format: an alembic.ini, or env.py beside versions/.
func (Alembic) Detect(fsys fs.FS, dir string) bool {
	if isRegular(fsys, path.Join(dir, "alembic.ini")) {
		return true
	}
	info, err := fs.Stat(fsys, path.Join(dir, "versions"))
	return err == nil && info.IsDir() && isRegular(fsys, path.Join(dir, "env.py"))
}

// AlembicLayout is where an Alembic project keeps its files, as paths in
// the fs.FS given to Load.
type AlembicLayout struct {
	// Ini is the alembic.ini, "" when the directory is a script location.
	Ini string
	// Scripts is the script location (env.py); Versions the directories of
	// revision files.
	Scripts  string
	Versions []string
	// Recursive: recursive_version_locations (Alembic 1.10) has revision
	// files in the subdirectories of Versions too.
	Recursive bool
	// versionsOption is the option of alembic.ini that names Versions
	// (version_locations, else script_location) and versionsLine its line;
	// "" and 0 without alembic.ini.
	versionsOption string
	versionsLine   int
}

// Layout reads alembic.ini in dir, if there is one.
func (Alembic) Layout(fsys fs.FS, dir string) (*AlembicLayout, error) {
	ini := path.Join(dir, "alembic.ini")
	if !isRegular(fsys, ini) {
		return &AlembicLayout{Scripts: dir, Versions: []string{path.Join(dir, "versions")}}, nil
	}
	b, err := fs.ReadFile(fsys, ini)
	if err != nil {
		return nil, err
	}
	opts, lines := iniSection(string(b), "alembic")
	here := func(v string) string {
		v = strings.ReplaceAll(v, "%(here)s", ".")
		return path.Join(dir, v)
	}
	loc := opts["script_location"]
	switch {
	case loc == "":
		return nil, fmt.Errorf("%s: no script_location in the [alembic] section", ini)
	case strings.Contains(loc, ":") && !strings.Contains(loc, "/"):
		return nil, fmt.Errorf("%s: script_location %q is a package resource: give schemagate the directory it names", ini, loc)
	}
	l := &AlembicLayout{Ini: ini, Scripts: here(loc), versionsOption: "script_location", versionsLine: lines["script_location"]}
	// A location outside fsys (../env) cannot be looked at here; Alembic
	// says so if it is not there. Alembic resolves a relative location
	// from where it runs: schemagate runs it beside alembic.ini.
	if info, err := fs.Stat(fsys, l.Scripts); fs.ValidPath(l.Scripts) && (err != nil || !info.IsDir()) {
		return nil, loadErrors([]*FileError{{Path: ini, Line: lines["script_location"], Err: fmt.Errorf(
			"script_location %q does not exist (relative to the directory of alembic.ini): fix it, or give schemagate the script location itself (the directory with env.py and versions/)", loc)}})
	}
	switch strings.ToLower(opts["recursive_version_locations"]) {
	case "true", "yes", "on", "1": // configparser's booleans
		l.Recursive = true
	}
	if vl := opts["version_locations"]; vl != "" {
		l.versionsOption, l.versionsLine = "version_locations", lines["version_locations"]
		var parts []string
		switch sep := opts["version_path_separator"]; sep {
		case "":
			// Alembic's legacy split, with no separator set: commas
			// and spaces.
			parts = strings.FieldsFunc(vl, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
		case "newline":
			parts = strings.Split(vl, "\n")
		case "os", ":":
			parts = strings.Split(vl, ":")
		case ";":
			parts = strings.Split(vl, ";")
		default: // "space"
			parts = strings.Split(vl, " ")
		}
		for _, v := range parts {
			if v = strings.TrimSpace(v); v != "" {
				l.Versions = append(l.Versions, here(v))
			}
		}
	} else {
		l.Versions = []string{path.Join(l.Scripts, "versions")}
	}
	return l, nil
}

// iniSection returns the options of one section of an ini file, and the
// line of each.
func iniSection(text, section string) (map[string]string, map[string]int) {
	out, lines := map[string]string{}, map[string]int{}
	in := false
	key := ""
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';':
			continue
		case trimmed[0] == '[':
			in = strings.TrimSpace(strings.Trim(trimmed, "[]")) == section
			continue
		case !in:
			continue
		case line[0] == ' ' || line[0] == '\t':
			if key != "" { // a continuation line
				out[key] += "\n" + trimmed
			}
			continue
		}
		k, v, ok := strings.Cut(trimmed, "=")
		if !ok {
			k, v, ok = strings.Cut(trimmed, ":")
		}
		if ok {
			key = strings.TrimSpace(k)
			out[key], lines[key] = strings.TrimSpace(v), n+1
		}
	}
	return out, lines
}

// revisionFiles are the revision files of the versions directory vd, and
// of its subdirectories when recursive, as Alembic finds them: .py files,
// not __init__.py nor an editor's lock files.
func revisionFiles(fsys fs.FS, vd string, recursive bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, vd, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		switch {
		case e.IsDir() && p != vd && (!recursive || name == "__pycache__" || strings.HasPrefix(name, ".")):
			return fs.SkipDir
		case e.IsDir():
			return nil
		case strings.HasSuffix(name, ".py") && name != "__init__.py" && !strings.HasPrefix(name, ".#"):
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Load implements Format.
func (a Alembic) Load(fsys fs.FS, dir string) ([]Migration, error) {
	l, err := a.Layout(fsys, dir)
	if err != nil {
		return nil, err
	}
	var (
		revs []*alembicRevision
		errs []*FileError
	)
	for _, vd := range l.Versions {
		files, err := revisionFiles(fsys, vd, l.Recursive)
		if errors.Is(err, fs.ErrNotExist) && l.Ini == "" {
			return nil, fmt.Errorf("no alembic.ini and no versions directory (%w): give the project root that holds alembic.ini, or the script location that holds env.py and versions/", err)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, loadErrors([]*FileError{{Path: l.Ini, Line: l.versionsLine, Err: fmt.Errorf(
				"the revisions' directory %q does not exist (relative to the directory of alembic.ini): fix %s, or create the directory", strings.TrimPrefix(vd, dir+"/"), l.versionsOption)}})
		}
		if err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
		for _, p := range files {
			f, err := readFile(fsys, p)
			if err != nil {
				errs = append(errs, fileError(p, 0, err))
				continue
			}
			r, fe := parseRevision(f)
			if fe != nil {
				errs = append(errs, fe)
				continue
			}
			revs = append(revs, r)
		}
	}
	if len(errs) > 0 {
		// Alembic loads every revision file into one history before it
		// runs any: a file it cannot read stops it, and one schemagate
		// cannot read leaves a hole that later revisions would be blamed
		// for ("names no revision").
		return nil, loadErrors(errs)
	}
	ordered, err := orderRevisions(revs)
	if err != nil {
		return nil, err
	}
	ms := make([]Migration, len(ordered))
	for i, r := range ordered {
		ms[i] = r.migration(a.Name())
	}
	return number(ms), loadErrors(errs)
}

// alembicRevision is what the Go side reads of a revision file.
type alembicRevision struct {
	id                      string
	rev                     Revision
	source                  *sqlparse.File
	upLine, downLine        int
	upEmpty, downEmpty      bool
	parentsLine, dependLine int
}

var (
	pyAssign = regexp.MustCompile(`(?m)^(revision|down_revision|branch_labels|depends_on)[ \t]*(?::[^=\n]*)?=[ \t]*`)
	pyDef    = regexp.MustCompile(`(?m)^def[ \t]+(upgrade|downgrade)[ \t]*\(`)
	// pyConnection finds a revision that uses the database connection.
	pyConnection = regexp.MustCompile(`\bget_bind[ \t]*\(|get_context\(\)\.(bind|connection)\b`)
)

// alembicExample is how each identifier is written so that schemagate can
// read it without running the file.
var alembicExample = map[string]string{
	"revision":      `revision = "abc123"`,
	"down_revision": `down_revision = "abc123" (None for a base revision, ("abc123", "def456") for a merge)`,
	"branch_labels": `branch_labels = ("name",) or None`,
	"depends_on":    `depends_on = "abc123", a tuple of revisions, or None`,
}

// legacyRevisionName is the file name from which Alembic takes the id of a
// revision without a revision variable (revision files before Alembic 0.2).
var legacyRevisionName = regexp.MustCompile(`^[a-f0-9]+\.py$`)

// parseRevision reads the identifiers and the shape of upgrade() and
// downgrade() from a revision file. Alembic loads every .py file of a
// versions directory but __init__.py as a revision and stops at one
// without a revision variable ("Could not determine revision id from
// filename"), so every file here is one, or an error at its own line.
func parseRevision(f *sqlparse.File) (*alembicRevision, *FileError) {
	r := &alembicRevision{source: f}
	seen := map[string]bool{}
	first := 0 // the line of the first identifier
	for _, m := range pyAssign.FindAllStringSubmatchIndex(f.Text, -1) {
		name := f.Text[m[2]:m[3]]
		line := f.Position(m[0]).Line
		vals, err := pyStrings(f.Text[m[1]:])
		if err != nil {
			return nil, fileError(f.Path, line, fmt.Errorf("%s is %w, not a plain literal: schemagate reads revision identifiers without running the file; write %s", name, err, alembicExample[name]))
		}
		seen[name] = true
		if first == 0 {
			first = line
		}
		switch name {
		case "revision":
			if len(vals) != 1 {
				return nil, fileError(f.Path, line, fmt.Errorf("revision must be one string: write %s", alembicExample[name]))
			}
			r.id, r.rev.Line = vals[0], line
		case "down_revision":
			r.rev.Parents, r.parentsLine = vals, line
		case "branch_labels":
			r.rev.BranchLabels = vals
		case "depends_on":
			r.rev.DependsOn, r.dependLine = vals, line
		}
	}
	for _, m := range pyDef.FindAllStringSubmatchIndex(f.Text, -1) {
		line := f.Position(m[0]).Line
		empty := emptyBody(f, line)
		if f.Text[m[2]:m[3]] == "upgrade" {
			r.upLine, r.upEmpty = line, empty
		} else {
			r.downLine, r.downEmpty = line, empty
		}
	}
	if !seen["revision"] {
		if base := path.Base(f.Path); legacyRevisionName.MatchString(base) {
			// Alembic takes the id from the name.
			r.id, r.rev.Line = strings.TrimSuffix(base, ".py"), 1
		} else {
			// At the first line that makes it look like a revision.
			if line := cmp.Or(first, r.upLine, r.downLine); line != 0 {
				return nil, fileError(f.Path, line, fmt.Errorf(`no revision = "..." at the top level: Alembic cannot tell this revision's id and stops here ("Could not determine revision id from filename"); write %s as a plain string literal`, alembicExample["revision"]))
			}
			return nil, fileError(f.Path, 1, fmt.Errorf(`not a revision (no revision = "..." at the top level), but Alembic loads every .py file in versions/ but __init__.py as one and stops here ("Could not determine revision id from filename"): move it out of versions/, or write %s as a plain string literal`, alembicExample["revision"]))
		}
	}
	if !seen["down_revision"] {
		return nil, fileError(f.Path, r.rev.Line, fmt.Errorf("no down_revision: Alembic needs one; write %s", alembicExample["down_revision"]))
	}
	if r.upLine == 0 {
		return nil, fileError(f.Path, r.rev.Line, errors.New("no def upgrade(): at the top level: Alembic runs a revision by calling its upgrade(); define it (with pass as its body when the revision does nothing)"))
	}
	r.rev.NeedsConnection = needsConnection(f.Text)
	return r, nil
}

// needsConnection reports whether a revision uses its database connection
// for more than the dialect ("op.get_bind().dialect.name == ...", which
// offline mode answers).
func needsConnection(text string) bool {
	for _, m := range pyConnection.FindAllStringIndex(text, -1) {
		rest := strings.TrimLeft(text[m[1]:], " \t")
		if strings.HasPrefix(text[m[0]:m[1]], "get_bind") {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, ")"), " \t")
		}
		if !strings.HasPrefix(rest, ".dialect") {
			return true
		}
	}
	return false
}

// emptyBody reports whether the function defined on line def does nothing:
// its body is only pass, "..." or a docstring.
func emptyBody(f *sqlparse.File, def int) bool {
	inDoc := ""
	for n := def + 1; n <= f.Lines(); n++ {
		line := f.LineText(n)
		t := strings.TrimSpace(line)
		if inDoc != "" {
			if strings.Contains(t, inDoc) {
				inDoc = ""
			}
			continue
		}
		if t == "" || t[0] == '#' {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			return true // the next top-level statement: the body ended
		}
		switch {
		case t == "pass" || t == "...":
		case strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, `'''`):
			q := t[:3]
			if !strings.Contains(t[3:], q) {
				inDoc = q
			}
		case (t[0] == '"' || t[0] == '\'') && strings.HasSuffix(t, t[:1]):
		default:
			return false
		}
	}
	return true
}

// pyStrings reads a Python literal at the start of s: a string, None, or a
// tuple or list of strings (over several lines within brackets), which
// must end its statement ("c41d" + "2b08" is an expression, not a literal).
func pyStrings(s string) ([]string, error) {
	vals, n, err := pyLiteral(s)
	if err != nil {
		return nil, err
	}
	rest := strings.TrimLeft(s[n:], " \t\r")
	if rest != "" && rest[0] != '\n' && rest[0] != '#' && rest[0] != ';' {
		return nil, fmt.Errorf("`%s`", pyLine(s))
	}
	return vals, nil
}

// pyLiteral reads the literal of pyStrings and returns how many bytes of s
// it took.
func pyLiteral(s string) ([]string, int, error) {
	var out []string
	depth := 0
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || (c == '\n' && depth > 0) || c == ',':
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			if depth == 0 {
				return out, i, nil
			}
		case c == '\n' || c == ';':
			if depth > 0 {
				return nil, 0, errors.New("an unclosed bracket")
			}
			return out, i, nil
		case c == '(' || c == '[' || c == '{':
			depth++
			i++
		case c == ')' || c == ']' || c == '}':
			depth--
			i++
			if depth == 0 {
				return out, i, nil
			}
		case strings.HasPrefix(s[i:], "None"):
			i += 4
			if depth == 0 {
				return nil, i, nil
			}
		case c == '"' || c == '\'' || ((c == 'u' || c == 'r') && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'')):
			if c == 'u' || c == 'r' {
				i++
			}
			q := s[i]
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 || strings.Contains(s[i+1:i+1+end], "\n") {
				return nil, 0, errors.New("an unterminated string")
			}
			out = append(out, s[i+1:i+1+end])
			i += end + 2
			if depth == 0 {
				return out, i, nil
			}
		default:
			return nil, 0, fmt.Errorf("`%s`", pyLine(s))
		}
	}
	return out, i, nil
}

func pyLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// migration makes the Migration of r, with empty scripts for internal/alembic
// to fill in.
func (r *alembicRevision) migration(format string) Migration {
	gen := sqlparse.NewFile(r.source.Path, "")
	base := strings.TrimSuffix(path.Base(r.source.Path), ".py")
	name := strings.TrimPrefix(strings.TrimPrefix(base, r.id), "_")
	if name == "" {
		name = base
	}
	rev := r.rev
	rev.DownLine = r.downLine
	m := Migration{ID: r.id, Name: name, Format: format, Revision: &rev}
	m.Up = &Script{File: gen, Tx: TxNone, Source: r.source,
		Origins: []Origin{{Path: r.source.Path, Line: r.upLine, Text: r.source.LineText(r.upLine)}}}
	if r.downLine != 0 && (!r.downEmpty || r.upEmpty) {
		m.Down = &Script{File: gen, Tx: TxNone, Source: r.source,
			Origins: []Origin{{Path: r.source.Path, Line: r.downLine, Text: r.source.LineText(r.downLine)}}}
	}
	return m
}

// orderRevisions orders revisions from base to heads: each after its
// parents and dependencies, ties by file name.
func orderRevisions(revs []*alembicRevision) ([]*alembicRevision, error) {
	byID := map[string]*alembicRevision{}
	for _, r := range revs {
		if _, dup := byID[r.id]; !dup {
			byID[r.id] = r
		}
	}
	children := map[*alembicRevision][]*alembicRevision{}
	waiting := map[*alembicRevision]int{}
	for _, r := range revs {
		for _, dep := range [][]string{r.rev.Parents, r.rev.DependsOn} {
			for _, id := range dep {
				p, ok := byID[id]
				if !ok {
					p = byLabel(revs, id)
				}
				if p == nil {
					what := "down_revision"
					if !slices.Contains(r.rev.Parents, id) {
						what = "depends_on"
					}
					return nil, fileError(r.source.Path, line(r, id), fmt.Errorf("%s %q names no revision: Alembic cannot build the history; fix the id or add the missing revision", what, id))
				}
				if p == r {
					return nil, fileError(r.source.Path, line(r, id), fmt.Errorf("revision %q follows itself", id))
				}
				children[p] = append(children[p], r)
				waiting[r]++
			}
		}
	}
	ready := &revHeap{}
	for _, r := range revs {
		if waiting[r] == 0 {
			heap.Push(ready, r)
		}
	}
	var out []*alembicRevision
	for ready.Len() > 0 {
		r := heap.Pop(ready).(*alembicRevision)
		out = append(out, r)
		for _, c := range children[r] {
			if waiting[c]--; waiting[c] == 0 {
				heap.Push(ready, c)
			}
		}
	}
	if len(out) < len(revs) {
		for _, r := range revs {
			if waiting[r] > 0 {
				return nil, fileError(r.source.Path, r.parentsLine, errors.New("the revisions form a cycle through this down_revision"))
			}
		}
	}
	return out, nil
}

func line(r *alembicRevision, id string) int {
	if slices.Contains(r.rev.Parents, id) {
		return r.parentsLine
	}
	return r.dependLine
}

// byLabel finds the revision whose branch label is label (depends_on may
// name a branch).
func byLabel(revs []*alembicRevision, label string) *alembicRevision {
	for _, r := range revs {
		if slices.Contains(r.rev.BranchLabels, label) {
			return r
		}
	}
	return nil
}

// revHeap orders ready revisions by file name.
type revHeap []*alembicRevision

func (h revHeap) Len() int { return len(h) }
func (h revHeap) Less(i, j int) bool {
	return cmp.Or(naturalCompare(h[i].source.Path, h[j].source.Path), strings.Compare(h[i].id, h[j].id)) < 0
}
func (h revHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *revHeap) Push(x any)   { *h = append(*h, x.(*alembicRevision)) }
func (h *revHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// AlembicProject finds the Alembic project that p belongs to when p is one
// of its revision files or its versions directory rather than the project
// itself: the nearest directory above p that holds alembic.ini (else env.py
// beside versions/) and whose version locations hold p. root is p's path
// with ".." elements, so that the project's files under p keep the path
// the user gave.
func AlembicProject(p string) (root string, ok bool) {
	info, err := os.Stat(p)
	if err != nil {
		return "", false
	}
	dir := p
	switch {
	case !info.IsDir() && strings.HasSuffix(p, ".py"):
		dir = filepath.Dir(p)
	case !info.IsDir() || (Alembic{}).Detect(os.DirFS(p), "."):
		return "", false // not a revision, or the project itself
	}
	want, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	// versions/ sits one level below the script location, which is
	// usually one below alembic.ini; a few levels more allow for nesting.
	const levels = 5
	for up, candidate := 0, dir; up < levels; up++ {
		candidate = filepath.Join(candidate, "..")
		fsys := os.DirFS(candidate)
		if !(Alembic{}).Detect(fsys, ".") {
			continue
		}
		l, err := Alembic{}.Layout(fsys, ".")
		if err != nil {
			continue
		}
		for _, v := range l.Versions {
			abs, err := filepath.Abs(filepath.Join(candidate, filepath.FromSlash(v)))
			if err != nil || abs != want {
				continue
			}
			if l.Ini != "" {
				return candidate, true
			}
			if root == "" {
				// A script location; an alembic.ini above it is better,
				// since it may configure env.py.
				root = candidate
			}
		}
	}
	return root, root != ""
}
