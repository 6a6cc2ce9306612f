package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fatih/color"

	"github.com/schemagate/schemagate/internal/finding"
)

func TestCaretIndent(t *testing.T) {
	for _, tc := range []struct {
		line string
		col  int
		want string
	}{
		{"SELECT 1", 1, ""},
		{"SELECT 1", 8, "       "},
		{"\tSELECT\t1", 3, "\t "},
		{"\t\tALTER", 3, "\t\t"},
		{"\tSELECT\t1", 9, "\t      \t"},
		// 表 takes two cells, the combining accent none.
		{"'表' x", 5, "     "},
		{"e\u0301x", 3, " "},
		// A column just past the end of the line.
		{"abc", 6, "     "},
	} {
		if got := caretIndent(tc.line, tc.col); got != tc.want {
			t.Errorf("caretIndent(%q, %d) = %q, want %q", tc.line, tc.col, got, tc.want)
		}
	}
}

func textReport(t *testing.T, r *Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := writeText(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTextFinding(t *testing.T) {
	r := &Report{
		Migrations: []Migration{{ID: "1", Name: "a"}},
		Findings: []finding.Finding{{
			Rule: "set-not-null", Severity: finding.Error, Phase: finding.Lint,
			Location: finding.Location{File: "m/1.sql", Line: 9, Column: 3, EndLine: 10},
			Message:  "msg",
			Help:     "first\nsecond",
			Excerpt:  "\t\tALTER TABLE users\r\n\t\t\tSET NOT NULL;\n",
		}},
	}
	want := "m/1.sql:9:3: error[set-not-null]: msg\n" +
		" 9 | \t\tALTER TABLE users\n" +
		"   | \t\t^\n" +
		"10 | \t\t\tSET NOT NULL;\n" +
		"  help: first\n" +
		"        second\n" +
		"\n" +
		"1 error, 0 warnings, 0 notices in 1 migration\n"
	if got := textReport(t, r, Options{}); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTextLocations(t *testing.T) {
	for _, tc := range []struct {
		loc  finding.Location
		want string
	}{
		{finding.Location{}, "notice[r]: m\n"},
		{finding.Location{File: "a.sql"}, "a.sql: notice[r]: m\n"},
		{finding.Location{File: "a.sql", Line: 2}, "a.sql:2: notice[r]: m\n"},
		{finding.Location{File: "a.sql", Line: 2, Column: 5}, "a.sql:2:5: notice[r]: m\n"},
	} {
		r := &Report{Findings: []finding.Finding{{Rule: "r", Severity: finding.Notice, Location: tc.loc, Message: "m"}}}
		got := textReport(t, r, Options{})
		if first, _, _ := strings.Cut(got, "\n"); first+"\n" != tc.want {
			t.Errorf("%+v: first line %q, want %q", tc.loc, first+"\n", tc.want)
		}
	}
}

func TestTextSanitizesExcerpt(t *testing.T) {
	r := &Report{Findings: []finding.Finding{{
		Rule: "r", Severity: finding.Error, Message: "m",
		Location: finding.Location{File: "a.sql", Line: 1, Column: 9},
		Excerpt:  "SELECT '\x1b[2J';",
	}}}
	got := textReport(t, r, Options{})
	if strings.Contains(got, "\x1b") {
		t.Errorf("escape character from the excerpt reached the output:\n%q", got)
	}
	if !strings.Contains(got, "1 | SELECT '\uFFFD[2J';\n  |         ^\n") {
		t.Errorf("caret not under column 9:\n%s", got)
	}
}

func TestTextSummary(t *testing.T) {
	for _, tc := range []struct {
		r    *Report
		want string
	}{
		{&Report{}, "no findings in 0 migrations\n"},
		{&Report{Migrations: make([]Migration, 1)}, "no findings in 1 migration\n"},
		{&Report{Migrations: make([]Migration, 12), Findings: []finding.Finding{
			{Severity: finding.Error}, {Severity: finding.Error}, {Severity: finding.Error}, {Severity: finding.Warning},
		}}, "3 errors, 1 warning, 0 notices in 12 migrations\n"},
	} {
		got := textReport(t, tc.r, Options{})
		lines := strings.SplitAfter(got, "\n")
		if last := lines[len(lines)-2]; last != tc.want {
			t.Errorf("summary %q, want %q", last, tc.want)
		}
	}
}

// TestTextColor checks that colours follow Options.Color alone, whatever
// the global color.NoColor says.
func TestTextColor(t *testing.T) {
	saved := color.NoColor
	t.Cleanup(func() { color.NoColor = saved })
	for _, global := range []bool{true, false} {
		color.NoColor = global
		plain := textReport(t, testReport(), Options{})
		if strings.Contains(plain, "\x1b[") {
			t.Errorf("NoColor=%v: Color off wrote escape sequences", global)
		}
		colored := textReport(t, testReport(), Options{Color: true})
		if !strings.Contains(colored, "\x1b[31;1merror\x1b[0;22m") {
			t.Errorf("NoColor=%v: Color on did not write a red error:\n%q", global, colored)
		}
	}
}
