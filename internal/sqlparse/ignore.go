package sqlparse

import (
	"regexp"
	"strings"
)

// ignorePattern matches "schemagate:ignore rule,rule reason" and
// "schemagate:ignore-file rule" inside a comment.
var ignorePattern = regexp.MustCompile(`schemagate:(ignore-file|ignore)\b[ \t]*([^\s*]*)`)

// Ignore is one suppression comment.
type Ignore struct {
	// Offset is where the comment starts in the file.
	Offset int
	// WholeFile: schemagate:ignore-file rather than schemagate:ignore.
	WholeFile bool
	// Rules are the ids named, as written.
	Rules []string
}

// ParseIgnore reads a suppression from the text of one comment ("-- ..."
// or "# ..." or "/* ... */"); ok is false when it holds none.
func ParseIgnore(comment string) (ig Ignore, ok bool) {
	m := ignorePattern.FindStringSubmatch(comment)
	if m == nil {
		return Ignore{}, false
	}
	ig.WholeFile = m[1] == "ignore-file"
	for _, id := range strings.Split(m[2], ",") {
		if id = strings.TrimSpace(id); id != "" {
			ig.Rules = append(ig.Rules, id)
		}
	}
	return ig, true
}

// Ignores lists the suppression comments of a parsed script.
func (s *Script) Ignores() []Ignore {
	var out []Ignore
	for _, c := range s.Comments {
		if ig, ok := ParseIgnore(c.Text); ok {
			ig.Offset = c.Start
			out = append(out, ig)
		}
	}
	return out
}
