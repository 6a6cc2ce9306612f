package lint

import (
	"strings"

	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/sqlparse"
)

// Suppressions are the ignore comments of every file. They apply to the
// findings of every phase: a replay or trace finding reported on a
// statement is suppressed by the same comment as a lint finding.
type Suppressions struct {
	files map[string]*fileIgnores
}

type fileIgnores struct {
	whole map[string]bool
	spans []span
}

// span: the rules ignored on lines from..to.
type span struct {
	from, to int
	rules    map[string]bool
}

func newSuppressions() *Suppressions { return &Suppressions{files: map[string]*fileIgnores{}} }

func (s *Suppressions) file(path string) *fileIgnores {
	fi := s.files[path]
	if fi == nil {
		fi = &fileIgnores{whole: map[string]bool{}}
		s.files[path] = fi
	}
	return fi
}

// addScript records the ignore comments of one parsed script. An ignore on
// the line above a statement, on its first line or on its last line (a
// trailing comment) covers every line of that statement. An ignore inside
// a statement, such as within a DO block, covers its own line and the next.
func (s *Suppressions) addScript(ps *sqlparse.Script) {
	file := ps.File
	for _, ig := range ps.Ignores() {
		line := file.Position(ig.Offset).Line
		from, to := line, line+1
		for _, st := range ps.Statements {
			first, last := file.Position(st.Start).Line, file.Position(st.End).Line
			if line == first-1 || line == first || line == last {
				from, to = min(from, first), max(to, last)
			}
		}
		s.AddLines(file.Path, from, to, ig.Rules, ig.WholeFile)
	}
}

// addSource records the "# schemagate:ignore" comments of a Python source
// file (an Alembic revision): an ignore covers its own line and the next,
// so it goes on the line of the op. call or just above it.
// It returns the ignores, each with its line as Offset.
func (s *Suppressions) addSource(f *sqlparse.File) []sqlparse.Ignore {
	var out []sqlparse.Ignore
	for n := 1; n <= f.Lines(); n++ {
		line := f.LineText(n)
		i := strings.IndexByte(line, '#')
		if i < 0 || !strings.Contains(line[i:], "schemagate:") {
			continue
		}
		if ig, ok := sqlparse.ParseIgnore(line[i:]); ok {
			s.AddLines(f.Path, n, n+1, ig.Rules, ig.WholeFile)
			ig.Offset = n
			out = append(out, ig)
		}
	}
	return out
}

// AddLines records an ignore of rules on lines from..to of a file, or on
// the whole file. Formats whose comments are not SQL (Alembic's Python
// "# schemagate:ignore") use it directly.
func (s *Suppressions) AddLines(path string, from, to int, rules []string, wholeFile bool) {
	fi := s.file(path)
	set := map[string]bool{}
	for _, r := range rules {
		set[r] = true
		if wholeFile {
			fi.whole[r] = true
		}
	}
	if !wholeFile {
		fi.spans = append(fi.spans, span{from: from, to: to, rules: set})
	}
}

// Suppressed reports whether an ignore comment covers f.
func (s *Suppressions) Suppressed(f finding.Finding) bool {
	fi := s.files[f.File]
	if fi == nil {
		return false
	}
	if fi.whole[f.Rule] {
		return true
	}
	for _, sp := range fi.spans {
		if f.Line >= sp.from && f.Line <= sp.to && sp.rules[f.Rule] {
			return true
		}
	}
	return false
}

// Filter returns the findings that no ignore comment covers.
func (s *Suppressions) Filter(fs []finding.Finding) []finding.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if !s.Suppressed(f) {
			out = append(out, f)
		}
	}
	return out
}
