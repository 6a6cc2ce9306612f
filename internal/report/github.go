package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/schemagate/schemagate/internal/finding"
)

// writeGitHub writes the findings as GitHub Actions workflow commands, which
// the runner turns into annotations:
//
//	::error col=1,endLine=3,file=migrations/000002_add_users_email.up.sql,line=3,title=create-index-non-concurrently::CREATE INDEX ...%0Ahelp
//
// GitHub shows only the first few annotations of each level of a step
// (10, and 50 per job), so the findings are written most severe first, and
// of one level those on lines the pull request changed (opts.InDiff) first,
// since GitHub shows those in the diff; at most opts.AnnotationLimit of each
// level; and when some are left out a last ::notice says how many and where
// to find them all.
func writeGitHub(w io.Writer, r *Report, opts Options) error {
	// The library panics when a write fails; ew keeps the first error
	// instead and drops everything after it.
	ew := &errWriter{w: w}
	action := githubactions.New(githubactions.WithWriter(ew))

	limit := opts.AnnotationLimit
	if limit == 0 {
		limit = DefaultAnnotationLimit
	}

	type annotation struct {
		level  string
		f      finding.Finding
		loc    finding.Location
		inDiff int // 0 on a changed line, 1 elsewhere: sorts first
	}
	as := make([]annotation, len(r.Findings))
	total := map[string]int{}
	for i, f := range r.Findings {
		as[i] = annotation{level: annotationLevel(f.Severity), f: f, loc: place(r, f)}
		if opts.InDiff != nil && !opts.InDiff(as[i].loc.File, as[i].loc.Line) {
			as[i].inDiff = 1
		}
		total[as[i].level]++
	}
	slices.SortStableFunc(as, func(a, b annotation) int {
		return cmp.Or(
			cmp.Compare(levelRank[a.level], levelRank[b.level]),
			cmp.Compare(a.inDiff, b.inDiff),
			cmp.Compare(a.loc.File, b.loc.File),
			cmp.Compare(a.loc.Line, b.loc.Line),
			cmp.Compare(a.loc.Column, b.loc.Column),
			cmp.Compare(a.f.Rule, b.f.Rule),
		)
	})

	quota := map[string]int{"error": limit, "warning": limit, "notice": limit}
	cut := limit > 0 && (total["error"] > limit || total["warning"] > limit || total["notice"] > limit)
	if cut {
		// The closing notice is a notice too: keep a place for it.
		quota["notice"] = limit - 1
	}

	written := map[string]int{}
	var left finding.Counts
	var rest []annotation
	for _, a := range as {
		if limit > 0 && written[a.level] >= quota[a.level] {
			left = addCount(left, a.level)
			rest = append(rest, a)
			continue
		}
		written[a.level]++
		action.IssueCommand(&githubactions.Command{
			Name:       a.level,
			Message:    annotationMessage(a.f),
			Properties: annotationProperties(a.f.Rule, a.loc, opts.Root),
		})
	}
	if n := left.Errors + left.Warnings + left.Notices; n > 0 {
		where := "They follow in this log as plain lines."
		if opts.SummaryURL != "" {
			where += " The job summary (" + opts.SummaryURL + ") and the report list every finding."
		}
		action.IssueCommand(&githubactions.Command{
			Name: "notice",
			Message: fmt.Sprintf("%s %s not annotated (%s, %s, %s): "+
				"GitHub shows at most %d annotations of each level per step. %s",
				plural(n, "finding"), verbPlural(n), plural(left.Errors, "error"),
				plural(left.Warnings, "warning"), plural(left.Notices, "notice"), limit, where),
			Properties: githubactions.CommandProperties{"title": "schemagate: more findings"},
		})
		// Nothing is lost where no job summary is written (the CLI run as
		// a step): each line starts with its file, never with "::", which
		// the runner would read as a command.
		for _, a := range rest {
			loc := a.loc
			if loc.File != "" {
				loc.File = repoPath(loc.File, opts.Root)
			}
			at := loc.String()
			if at == "" {
				at = "schemagate"
			}
			fmt.Fprintf(ew, "%s: %s %s: %s\n", at, a.level, a.f.Rule, strings.Join(strings.Fields(a.f.Message), " "))
		}
	}
	if ew.err != nil {
		return fmt.Errorf("write github report: %w", ew.err)
	}
	return nil
}

func verbPlural(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// levelRank orders annotations, errors first.
var levelRank = map[string]int{"error": 0, "warning": 1, "notice": 2}

// annotationLevel is the workflow command for severity s.
func annotationLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "notice"
}

func addCount(c finding.Counts, level string) finding.Counts {
	switch level {
	case "error":
		c.Errors++
	case "warning":
		c.Warnings++
	default:
		c.Notices++
	}
	return c
}

// annotationMessage is the finding's message and, on the next line, its help;
// the library escapes the line break as GitHub requires.
func annotationMessage(f finding.Finding) string {
	if f.Help == "" {
		return f.Message
	}
	return f.Message + "\n" + f.Help
}

// annotationProperties places the annotation at loc (see place); a finding
// without a file gets an annotation without one, which GitHub shows on the
// run.
func annotationProperties(rule string, loc finding.Location, root string) githubactions.CommandProperties {
	props := githubactions.CommandProperties{"title": rule}
	if loc.File == "" {
		return props
	}
	props["file"] = repoPath(loc.File, root)
	if loc.Line > 0 {
		props["line"] = strconv.Itoa(loc.Line)
		if loc.Column > 0 {
			props["col"] = strconv.Itoa(loc.Column)
		}
		if loc.EndLine >= loc.Line {
			props["endLine"] = strconv.Itoa(loc.EndLine)
		}
	}
	return props
}

// errWriter remembers the first error of w and then writes nothing more.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
	return len(p), nil
}
