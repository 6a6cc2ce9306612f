package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemagate/schemagate/internal/finding"
)

func githubLines(t *testing.T, r *Report, opts Options) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := writeGitHub(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end in a newline: %q", out)
	}
	if out == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// TestGitHubCommandFormat pins what the library writes: properties sorted
// and escaped (% \r \n : ,), data escaped (% \r \n), one command per line.
func TestGitHubCommandFormat(t *testing.T) {
	r := &Report{Findings: []finding.Finding{
		{
			Rule: "drop-table", Severity: finding.Error, Phase: finding.Lint,
			Location: finding.Location{File: "db/a,b:c%.sql", Line: 3, Column: 2, EndLine: 4},
			Message:  "100% sure: it drops\r\nthe table, really",
			Help:     "don't",
		},
		{
			Rule: "down-missing", Severity: finding.Warning, Phase: finding.Replay,
			Location: finding.Location{File: "db/x.sql"},
			Message:  "m",
		},
		{
			Rule: "models-drift", Severity: finding.Notice, Phase: finding.Models,
			Message: "no file",
		},
	}}
	want := []string{
		"::error col=2,endLine=4,file=db/a%2Cb%3Ac%25.sql,line=3,title=drop-table::100%25 sure: it drops%0D%0Athe table, really%0Adon't",
		"::warning file=db/x.sql,title=down-missing::m",
		"::notice title=models-drift::no file",
	}
	if diff := cmp.Diff(want, githubLines(t, r, Options{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGitHubRoot(t *testing.T) {
	r := &Report{Findings: []finding.Finding{{
		Rule: "r", Severity: finding.Error, Message: "m",
		Location: finding.Location{File: "/home/runner/work/app/app/db/migrations/1.sql", Line: 1},
	}}}
	want := []string{"::error file=db/migrations/1.sql,line=1,title=r::m"}
	if diff := cmp.Diff(want, githubLines(t, r, Options{Root: "/home/runner/work/app/app"})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func manyFindings(errors, warnings, notices int) *Report {
	r := &Report{}
	add := func(n int, s finding.Severity) {
		for i := range n {
			r.Findings = append(r.Findings, finding.Finding{
				Rule: "r", Severity: s, Phase: finding.Lint, Message: "m",
				Location: finding.Location{File: fmt.Sprintf("m/%s-%02d.sql", s, i), Line: 1},
			})
		}
	}
	// Warnings first, so that the test sees the writer put errors first.
	add(warnings, finding.Warning)
	add(notices, finding.Notice)
	add(errors, finding.Error)
	finding.Sort(r.Findings)
	return r
}

func countLevels(lines []string) map[string]int {
	n := map[string]int{}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::") {
			continue // a finding left out, as a plain line
		}
		level, _, _ := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		n[level]++
	}
	return n
}

func TestGitHubCutOff(t *testing.T) {
	lines := githubLines(t, manyFindings(12, 3, 0), Options{})
	if diff := cmp.Diff(map[string]int{"error": 10, "warning": 3, "notice": 1}, countLevels(lines)); diff != "" {
		t.Errorf("annotations per level (-want +got):\n%s", diff)
	}
	// Errors first, in file order: the first ten of twelve.
	for i := range 10 {
		if want := fmt.Sprintf("::error file=m/error-%02d.sql,", i); !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want)
		}
	}
	notice := lines[len(lines)-3]
	want := "::notice title=schemagate%3A more findings::2 findings were not annotated (2 errors, 0 warnings, 0 notices): " +
		"GitHub shows at most 10 annotations of each level per step. They follow in this log as plain lines."
	if notice != want {
		t.Errorf("the notice\n%q\nwant\n%q", notice, want)
	}
	// Nothing is lost: the two left out follow, as lines no runner takes
	// for a command.
	for i, name := range []string{"m/error-10.sql", "m/error-11.sql"} {
		if line := lines[len(lines)-2+i]; !strings.HasPrefix(line, name+":") || !strings.Contains(line, " error ") {
			t.Errorf("line %q, want the finding in %s", line, name)
		}
	}
}

func TestGitHubLimit(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		errors, warnings, notice int
		opts                     Options
		want                     map[string]int
		cut                      string
	}{
		{name: "at the limit", errors: 10, warnings: 10, notice: 10, want: map[string]int{"error": 10, "warning": 10, "notice": 10}},
		{name: "notices over", notice: 11,
			want: map[string]int{"notice": 10}, cut: "2 findings were not annotated (0 errors, 0 warnings, 2 notices)"},
		{name: "limit 3", errors: 1, notice: 5, opts: Options{AnnotationLimit: 3},
			want: map[string]int{"error": 1, "notice": 3}, cut: "3 findings were not annotated (0 errors, 0 warnings, 3 notices)"},
		{name: "limit 1", errors: 2, warnings: 1, notice: 1, opts: Options{AnnotationLimit: 1},
			want: map[string]int{"error": 1, "warning": 1, "notice": 1}, cut: "2 findings were not annotated (1 error, 0 warnings, 1 notice)"},
		{name: "one left", errors: 11, opts: Options{AnnotationLimit: 10},
			want: map[string]int{"error": 10, "notice": 1}, cut: "1 finding was not annotated (1 error, 0 warnings, 0 notices)"},
		{name: "no limit", errors: 30, warnings: 20, notice: 15, opts: Options{AnnotationLimit: -1},
			want: map[string]int{"error": 30, "warning": 20, "notice": 15}},
		{name: "none", want: map[string]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := githubLines(t, manyFindings(tc.errors, tc.warnings, tc.notice), tc.opts)
			if diff := cmp.Diff(tc.want, countLevels(lines)); diff != "" {
				t.Errorf("annotations per level (-want +got):\n%s", diff)
			}
			summary, plain := "", 0
			for _, l := range lines {
				if strings.HasPrefix(l, "::notice title=schemagate%3A more findings::") {
					summary = l
				}
				if !strings.HasPrefix(l, "::") {
					plain++
				}
			}
			// Nothing lost: what was not annotated follows as plain lines
			// (the closing notice is an annotation but no finding).
			if annotated := len(lines) - plain - 1; tc.cut != "" && plain != tc.errors+tc.warnings+tc.notice-annotated {
				t.Errorf("%d findings as plain lines, want the %d left out", plain, tc.errors+tc.warnings+tc.notice-annotated)
			}
			switch {
			case tc.cut == "" && summary != "":
				t.Errorf("unexpected cut-off annotation %q", summary)
			case tc.cut != "" && !strings.Contains(summary, tc.cut):
				t.Errorf("cut-off annotation %q, want it to say %q", summary, tc.cut)
			}
		})
	}
}
