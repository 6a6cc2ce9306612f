package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/fatih/color"
	"golang.org/x/text/width"

	"github.com/schemagate/schemagate/internal/finding"
)

// palette holds the colours of the text report. Every colour is switched on
// or off on its own object, so the output depends only on Options.Color and
// never on color.NoColor or on whether standard output is a terminal.
type palette struct {
	location, message, rule, gutter, help *color.Color
	severity                              map[finding.Severity]*color.Color
}

func newPalette(enabled bool) *palette {
	p := &palette{
		location: color.New(color.Bold),
		message:  color.New(color.Bold),
		rule:     color.New(color.Faint),
		gutter:   color.New(color.FgBlue),
		help:     color.New(color.FgCyan, color.Bold),
		severity: map[finding.Severity]*color.Color{
			finding.Error:   color.New(color.FgRed, color.Bold),
			finding.Warning: color.New(color.FgYellow, color.Bold),
			finding.Notice:  color.New(color.FgBlue, color.Bold),
		},
	}
	all := []*color.Color{p.location, p.message, p.rule, p.gutter, p.help}
	for _, c := range p.severity {
		all = append(all, c)
	}
	for _, c := range all {
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// sev paints s in the colour of severity s; unknown severities stay plain.
func (p *palette) sev(s finding.Severity, text string) string {
	if c, ok := p.severity[s]; ok {
		return c.Sprint(text)
	}
	return text
}

// writeText writes the report for people, the way a compiler does:
//
//	migrations/000002_add_users_email.up.sql:3:1: error[create-index-non-concurrently]: CREATE INDEX ...
//	  3 | CREATE INDEX users_email ON users (email);
//	    | ^
//	  help: CREATE INDEX CONCURRENTLY ...
//
// followed by a summary line.
func writeText(w io.Writer, r *Report, opts Options) error {
	p := newPalette(opts.Color)
	var b strings.Builder
	for _, f := range r.Findings {
		writeTextFinding(&b, p, r, f)
		b.WriteByte('\n')
	}
	writeTextTrace(&b, r.Statements)
	b.WriteString(summaryLine(p, finding.Count(r.Findings), len(r.Migrations)))
	b.WriteByte('\n')
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

func writeTextFinding(b *strings.Builder, p *palette, r *Report, f finding.Finding) {
	if loc := place(r, f).String(); loc != "" {
		b.WriteString(p.location.Sprint(loc + ":"))
		b.WriteByte(' ')
	}
	b.WriteString(p.sev(f.Severity, f.Severity.String()))
	b.WriteString(p.rule.Sprint("[" + f.Rule + "]"))
	b.WriteString(p.message.Sprint(":"))
	b.WriteByte(' ')
	b.WriteString(paintLines(p.message, f.Message))
	b.WriteByte('\n')

	if f.Excerpt != "" {
		writeExcerpt(b, p, f)
	}
	if f.Help != "" {
		const label = "  help: "
		b.WriteString("  ")
		b.WriteString(p.help.Sprint("help:"))
		b.WriteByte(' ')
		// Continuation lines of a long help line up under its first line.
		b.WriteString(strings.ReplaceAll(f.Help, "\n", "\n"+strings.Repeat(" ", len(label))))
		b.WriteByte('\n')
	}
}

// paintLines colours each line of s on its own, so that a log viewer that
// resets colours at line ends still shows them.
func paintLines(c *color.Color, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = c.Sprint(l)
		}
	}
	return strings.Join(lines, "\n")
}

// writeExcerpt writes the source lines of f with a gutter of line numbers
// and a caret under f.Column in the first line.
func writeExcerpt(b *strings.Builder, p *palette, f finding.Finding) {
	lines := strings.Split(strings.TrimRight(f.Excerpt, "\r\n"), "\n")
	numWidth := 0
	if f.Line > 0 {
		numWidth = len(strconv.Itoa(f.Line + len(lines) - 1))
	}
	blank := p.gutter.Sprint(strings.Repeat(" ", numWidth+1) + "|")
	for i, line := range lines {
		line = sanitize(strings.TrimSuffix(line, "\r"))
		num := ""
		if f.Line > 0 {
			num = fmt.Sprintf("%*d", numWidth, f.Line+i)
		}
		b.WriteString(p.gutter.Sprint(num + " |"))
		if line != "" {
			b.WriteByte(' ')
			b.WriteString(line)
		}
		b.WriteByte('\n')
		if i == 0 && f.Column > 0 {
			b.WriteString(blank)
			b.WriteByte(' ')
			b.WriteString(caretIndent(line, f.Column))
			b.WriteString(p.sev(f.Severity, "^"))
			b.WriteByte('\n')
		}
	}
}

// caretIndent returns what goes before a caret under column col (counted in
// characters from 1) of line: the tabs of line are kept, so that the caret
// lines up whatever the tab width, and every other character becomes as many
// spaces as the cells it takes on a terminal.
func caretIndent(line string, col int) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		if n == col-1 {
			break
		}
		n++
		if r == '\t' {
			b.WriteByte('\t')
			continue
		}
		b.WriteString(strings.Repeat(" ", cells(r)))
	}
	// The column may point past the end of the excerpt (at the line break).
	for ; n < col-1; n++ {
		b.WriteByte(' ')
	}
	return b.String()
}

// cells is how many terminal cells r takes: none for combining marks and
// format characters, two for East Asian wide characters, one for the rest.
func cells(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// sanitize replaces control characters other than tab, which could move the
// cursor or recolour a terminal, with U+FFFD; it keeps one rune per rune so
// that columns still count the same.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && unicode.IsControl(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// summaryLine is "3 errors, 1 warning, 0 notices in 12 migrations" or "no
// findings in 12 migrations".
func summaryLine(p *palette, c finding.Counts, migrations int) string {
	in := " in " + plural(migrations, "migration")
	if c.Errors+c.Warnings+c.Notices == 0 {
		return "no findings" + in
	}
	count := func(n int, s finding.Severity) string {
		text := plural(n, s.String())
		if n == 0 {
			return text
		}
		return p.sev(s, text)
	}
	return count(c.Errors, finding.Error) + ", " +
		count(c.Warnings, finding.Warning) + ", " +
		count(c.Notices, finding.Notice) + in
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// writeTextTrace lists the statements that the live server saw take a
// blocking lock on an existing relation or rewrite one.
func writeTextTrace(b *strings.Builder, sts []Statement) {
	header := false
	for _, st := range sts {
		var what []string
		for _, l := range st.Locks {
			if l.Blocks != "" {
				what = append(what, fmt.Sprintf("%s on %s (blocks %s)", l.Mode, l.Relation, l.Blocks))
			}
		}
		for _, r := range st.Rewrites {
			what = append(what, "rewrote "+r)
		}
		if len(what) == 0 {
			continue
		}
		if !header {
			b.WriteString("locks and rewrites seen on the live server:\n")
			header = true
		}
		timeout := "no lock_timeout"
		if st.LockTimeout != "" && st.LockTimeout != "0" {
			timeout = "lock_timeout " + st.LockTimeout
		}
		fmt.Fprintf(b, "  %s:%d: %s: %s, held %.0fms (%s)\n", st.File, st.Line, st.Statement, strings.Join(what, "; "), st.HeldMS, timeout)
	}
	if header {
		b.WriteByte('\n')
	}
}
