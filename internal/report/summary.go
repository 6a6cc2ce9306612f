package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/schemagate/schemagate/internal/finding"
)

// SummaryLimit is the most the job summary may hold: GitHub refuses a step
// summary over 1 MiB, and a margin is kept for what the runner adds.
const SummaryLimit = 1000 << 10

// SummaryOptions adjust the job summary.
type SummaryOptions struct {
	// Root makes paths relative to the repository root, as in annotations.
	Root string
	// ReportPath and SARIFPath name the reports written beside the summary
	// (relative to Root), "" for none.
	ReportPath, SARIFPath string
	// Limit is the size in bytes the summary must stay under; 0 means
	// SummaryLimit.
	Limit int
}

// Summary renders the job summary of a run, in GitHub Markdown: the
// verdict first, then a table per changed migration (its statements, their
// findings, the locks they took and what they rewrote, and the replay up,
// down and up), the models drift, the time of each phase, and collapsed
// details for the rest. It stays under opts.Limit bytes: tables lose their
// last rows, and say so, rather than the summary being cut mid-line.
func Summary(r *Report, opts SummaryOptions) string {
	limit := opts.Limit
	if limit <= 0 {
		limit = SummaryLimit
	}
	s := &summary{r: r, opts: opts, run: r.Run}
	if s.run == nil {
		s.run = &Run{}
	}
	tail := s.timings() + s.footer()
	secs := s.sections()
	// The models drift gets its room first (up to a quarter, and then
	// what the others leave): a long history's tables must not push it
	// out. A section that does not fit is left out, and the sections after
	// it are still tried; a last note names what was left out.
	const noteRoom = 1 << 10
	room := limit - len(tail) - noteRoom
	texts := make([]string, len(secs))
	pending := 0
	for i, sec := range secs {
		if sec.first {
			texts[i] = sec.render(room / 4)
			pending += len(texts[i])
		}
	}
	used := 0
	for i, sec := range secs {
		if sec.first {
			pending -= len(texts[i])
		} else {
			texts[i] = sec.render(room - pending - used)
		}
		used += len(texts[i])
	}
	for i, sec := range secs {
		if left := room - used; sec.first && left > 0 {
			// What the others left: the whole drift, if it fits now.
			more := sec.render(len(texts[i]) + left)
			used += len(more) - len(texts[i])
			texts[i] = more
		}
	}
	var b strings.Builder
	var dropped []int
	for i, t := range texts {
		if t == "" {
			dropped = append(dropped, i)
		}
		b.WriteString(t)
	}
	if len(dropped) > 0 {
		note := fmt.Sprintf("\n*Left out, for the job summary must stay under 1 MiB: %s. The JSON report has everything.*\n", strings.Join(runs(secs, dropped), ", "))
		if len(note) > noteRoom {
			note = fmt.Sprintf("\n*%d sections left out, for the job summary must stay under 1 MiB. The JSON report has everything.*\n", len(dropped))
		}
		b.WriteString(note)
	}
	if len(tail) <= limit-b.Len() {
		b.WriteString(tail)
	}
	return b.String()
}

// runs names the sections dropped (their indexes in secs, in order),
// "migrations X to Y" for the migrations' sections left out one after the
// other.
func runs(secs []section, dropped []int) []string {
	var out []string
	for k := 0; k < len(dropped); k++ {
		first, ok := strings.CutPrefix(secs[dropped[k]].name, "migration ")
		j := k
		for ok && j+1 < len(dropped) && dropped[j+1] == dropped[j]+1 && strings.HasPrefix(secs[dropped[j+1]].name, "migration ") {
			j++
		}
		if j > k {
			out = append(out, "migrations "+first+" to "+strings.TrimPrefix(secs[dropped[j]].name, "migration "))
			k = j
			continue
		}
		out = append(out, secs[dropped[k]].name)
	}
	return out
}

// FailureSummary is the job summary of a run that could not do its job;
// command is "" when the inputs named none that exists.
func FailureSummary(command string, err error) string {
	msg := err.Error()
	if len(msg) > 60<<10 {
		msg = msg[:60<<10] + "\n…"
	}
	what := "schemagate"
	if command != "" {
		what += " " + command
	}
	return fmt.Sprintf("## ⚠️ %s could not run\n\n```\n%s\n```\n\nThe step's log says more; nothing was checked.\n",
		what, strings.ReplaceAll(msg, "```", "'''"))
}

type summary struct {
	r    *Report
	opts SummaryOptions
	run  *Run
}

// section is a piece of the summary: head, rows and tail, of which rows
// may be cut to fit.
type section struct {
	head string
	rows []string
	tail string
	// what names the rows in the note that says some were cut; name the
	// section in the note that says it was left out.
	what, name string
	// first: the section gets its room before the others.
	first bool
}

// render returns the section in at most budget bytes, dropping rows from
// the end (and saying how many); "" when not even the head fits.
func (sec section) render(budget int) string {
	full := len(sec.head) + len(sec.tail)
	for _, r := range sec.rows {
		full += len(r)
	}
	if full <= budget {
		return sec.head + strings.Join(sec.rows, "") + sec.tail
	}
	note := func(n int) string {
		return fmt.Sprintf("\n*%d more %s left out: the job summary must stay under 1 MiB. The JSON report has everything.*\n", n, sec.what)
	}
	used := len(sec.head) + len(sec.tail) + len(note(len(sec.rows)))
	if used > budget {
		return ""
	}
	kept := 0
	for _, r := range sec.rows {
		if used+len(r) > budget {
			break
		}
		used += len(r)
		kept++
	}
	return sec.head + strings.Join(sec.rows[:kept], "") + sec.tail + note(len(sec.rows)-kept)
}

func (s *summary) sections() []section {
	out := []section{s.verdict()}
	if ov := s.overview(); ov.head != "" {
		out = append(out, ov)
	}
	for _, m := range s.changed() {
		out = append(out, s.migration(m))
	}
	if other := s.unplaced(); other.head != "" {
		out = append(out, other)
	}
	if models := s.models(); models.head != "" {
		out = append(out, models)
	}
	out = append(out, s.allFindings())
	if fast := s.unchanged(); fast.head != "" {
		out = append(out, fast)
	}
	return out
}

var severityIcon = map[finding.Severity]string{finding.Error: "❌", finding.Warning: "⚠️", finding.Notice: "ℹ️"}

func (s *summary) verdict() section {
	c := finding.Count(s.r.Findings)
	failOn := s.run.FailOn
	if failOn == "" {
		failOn = "error"
	}
	failing := 0
	if sev, err := finding.ParseSeverity(failOn); err == nil {
		for _, f := range s.r.Findings {
			if f.Severity >= sev {
				failing++
			}
		}
	}
	var b strings.Builder
	counts := countsText(c)
	if failing > 0 {
		fmt.Fprintf(&b, "## ❌ schemagate: %s\n\n", counts)
		fmt.Fprintf(&b, "**This change does not pass:** %s at or above `fail-on: %s`.\n\n", plural(failing, "finding"), failOn)
	} else {
		fmt.Fprintf(&b, "## ✅ schemagate: %s\n\n", counts)
		fmt.Fprintf(&b, "**This change passes** (`fail-on: %s`).\n\n", failOn)
	}
	command := s.run.Command
	if command == "" {
		command = "lint"
	}
	what := fmt.Sprintf("`%s` of %s", command, plural(len(s.r.Migrations), "migration"))
	if s.run.ChangedSince != "" {
		what += fmt.Sprintf("; %s added or changed since `%s`", plural(len(s.changed()), "migration"), shortRef(s.run.ChangedSince))
	}
	if s.run.Server != "" {
		what += " · " + cell(s.run.Server)
	}
	b.WriteString(what + ".\n")
	if s.run.Stopped != "" {
		fmt.Fprintf(&b, "\n> [!WARNING]\n> The replay stopped early: %s.\n", cell(s.run.Stopped))
	}
	return section{head: b.String(), name: "the verdict"}
}

func countsText(c finding.Counts) string {
	if c.Errors+c.Warnings+c.Notices == 0 {
		return "no findings"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{c.Errors, "error"}, {c.Warnings, "warning"}, {c.Notices, "notice"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

// shortRef abbreviates a commit SHA as git does.
func shortRef(ref string) string {
	if len(ref) == 40 && strings.Trim(ref, "0123456789abcdef") == "" {
		return ref[:12]
	}
	return ref
}

// changed lists the migrations of the change, in history order; when the
// run named no change (no --changed-since), the ones with findings.
func (s *summary) changed() []Migration {
	var out []Migration
	for _, m := range s.r.Migrations {
		if s.run.ChangedSince != "" && slices.Contains(s.run.Changed, m.ID) ||
			s.run.ChangedSince == "" && len(s.findingsOf(m.ID)) > 0 {
			out = append(out, m)
		}
	}
	return out
}

func (s *summary) findingsOf(id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range s.r.Findings {
		if f.Migration == id && f.Phase != finding.Models {
			out = append(out, f)
		}
	}
	return out
}

func (s *summary) overview() section {
	ms := s.changed()
	if len(ms) == 0 {
		return section{}
	}
	head := "\n| migration | errors | warnings | notices |"
	sep := "\n|---|---:|---:|---:|"
	if s.run.Command == "check" {
		head += " replay: up · down · up again |"
		sep += "---|"
	}
	sec := section{head: head + sep + "\n", what: "migrations", name: "the overview"}
	for _, m := range ms {
		c := finding.Count(s.findingsOf(m.ID))
		row := fmt.Sprintf("| %s | %s | %s | %s |", cell(m.ID+" "+m.Name), zeroDash(c.Errors), zeroDash(c.Warnings), zeroDash(c.Notices))
		if s.run.Command == "check" {
			row += " " + s.replayText(m) + " |"
		}
		sec.rows = append(sec.rows, row+"\n")
	}
	return sec
}

func zeroDash(n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprint(n)
}

// replayText is the result of the replay of m up, down and up, from the
// replay's findings.
func (s *summary) replayText(m Migration) string {
	if !slices.Contains(s.run.Replayed, m.ID) {
		return "not replayed"
	}
	has := func(dir finding.Direction, rules ...string) bool {
		for _, f := range s.r.Findings {
			rule := f.Rule
			if rule == "syntax-error" {
				// check reports a statement that does not parse once, as
				// the lint's syntax error: the server failed it too.
				rule = map[finding.Direction]string{finding.Up: "up-fails", finding.Down: "down-fails"}[f.Direction]
			} else if f.Phase != finding.Replay {
				continue
			}
			if f.Migration == m.ID && slices.Contains(rules, rule) && (dir == "" || f.Direction == dir) {
				return true
			}
		}
		return false
	}
	up, down, again := "✅", "✅", "✅"
	switch {
	case has(finding.Up, "up-fails", "statement-timeout"):
		return "❌ up fails · not run · not run"
	case has(finding.Down, "down-fails", "statement-timeout"):
		down, again = "❌ fails", "—"
	case has(finding.Down, "down-not-reverting"):
		down = "❌ does not revert"
	case has("", "down-missing"):
		down, again = "⚠️ missing", "—"
	case m.Down == "":
		down, again = "—", "—"
	}
	if has(finding.Up, "reapply-fails") {
		again = "❌ fails"
	}
	return up + " · " + down + " · " + again
}

// txControl reports whether a statement only begins or ends a transaction.
func txControl(stmt string) bool {
	switch strings.ToUpper(strings.TrimRight(strings.TrimSpace(stmt), "; ")) {
	case "BEGIN", "COMMIT", "END", "START TRANSACTION", "BEGIN TRANSACTION", "COMMIT TRANSACTION", "ROLLBACK":
		return true
	}
	return false
}

// migration is the table of one changed migration: each statement of its
// up (and down), its findings, the locks it took and what it rewrote.
func (s *summary) migration(m Migration) section {
	var head strings.Builder
	fmt.Fprintf(&head, "\n### %s\n\n", cell(m.ID+" "+m.Name))
	var files []string
	for _, f := range []string{m.Up, m.Down} {
		// One file holds both halves in goose, dbmate and Alembic.
		if f == "" {
			continue
		}
		if f := "`" + repoPath(f, s.opts.Root) + "`"; !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	head.WriteString(strings.Join(files, " · "))
	if s.run.Command == "check" {
		head.WriteString(" · replay up · down · up again: " + s.replayText(m))
	}
	head.WriteString("\n\n")

	fs := s.findingsOf(m.ID)
	var sts []Statement
	for _, st := range s.r.Statements {
		if st.Migration == m.ID {
			sts = append(sts, st)
		}
	}
	used := make([]bool, len(fs))
	var rows []string
	if len(sts) > 0 {
		head.WriteString("| line | statement | findings | locks taken | rewrote |\n|---:|---|---|---|---|\n")
		for _, st := range sts {
			var here []string
			for i, f := range fs {
				if !used[i] && onStatement(f, st) {
					used[i] = true
					here = append(here, findingText(f))
				}
			}
			// Alembic's own BEGIN and COMMIT say nothing a reader needs
			// when nothing was found or taken on them.
			if len(here) == 0 && len(st.Locks) == 0 && len(st.Rewrites) == 0 && txControl(st.Statement) {
				continue
			}
			rows = append(rows, fmt.Sprintf("| %d | %s | %s | %s | %s |\n",
				st.Line, code(st.Statement), orDash(strings.Join(here, "<br>")), locksText(st), rewriteText(st)))
		}
	}
	var rest []finding.Finding
	for i, f := range fs {
		if !used[i] {
			rest = append(rest, f)
		}
	}
	if len(rest) > 0 {
		if len(sts) > 0 {
			rows = append(rows, "\n")
		}
		rows = append(rows, "| line | findings |\n|---:|---|\n")
		for _, f := range rest {
			line := "—"
			if f.Line > 0 {
				line = fmt.Sprint(f.Line)
			}
			if f.Direction == finding.Down {
				line += " (down)"
			}
			rows = append(rows, fmt.Sprintf("| %s | %s |\n", line, findingText(f)))
		}
	}
	if len(sts) == 0 && len(rest) == 0 {
		rows = append(rows, "No findings.\n")
	}
	return section{head: head.String(), rows: rows, what: "rows of " + m.ID, name: "migration " + m.ID}
}

// onStatement reports whether f points into st.
func onStatement(f finding.Finding, st Statement) bool {
	if f.File == "" || f.File != st.File || f.Line == 0 {
		return false
	}
	last := st.Line + strings.Count(strings.TrimRight(st.Statement, "\n"), "\n")
	return f.Line >= st.Line && f.Line <= last
}

func findingText(f finding.Finding) string {
	return fmt.Sprintf("%s **%s** %s", severityIcon[f.Severity], f.Rule, cell(firstLine(f.Message)))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func locksText(st Statement) string {
	if !st.LocksObserved {
		return "not seen (ran outside a transaction)"
	}
	if len(st.Locks) == 0 {
		// A lock its transaction held already (from an earlier ALTER
		// TABLE) is not taken again.
		return "none new on existing tables"
	}
	var out []string
	for _, l := range st.Locks {
		t := fmt.Sprintf("`%s` on %s", l.Mode, cell(l.Relation))
		if l.Blocks != "" {
			t += " (blocks " + l.Blocks + ")"
		}
		out = append(out, t)
	}
	return strings.Join(out, "<br>")
}

func rewriteText(st Statement) string {
	if len(st.Rewrites) == 0 {
		return "no"
	}
	return "**yes**: " + cell(strings.Join(st.Rewrites, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// unplaced lists the findings that belong to no migration (a deleted
// migration file, a discovery problem).
func (s *summary) unplaced() section {
	var rows []string
	for _, f := range s.r.Findings {
		if f.Migration == "" && f.Phase != finding.Models {
			where := ""
			if f.File != "" {
				where = " `" + repoPath(f.File, s.opts.Root) + "`"
			}
			rows = append(rows, "- "+findingText(f)+where+"\n")
		}
	}
	if len(rows) == 0 {
		return section{}
	}
	return section{head: "\n### Not in a migration\n\n", rows: rows, what: "findings", name: "the findings not in a migration"}
}

func (s *summary) models() section {
	var rows []string
	for _, f := range s.r.Findings {
		if f.Phase == finding.Models {
			rows = append(rows, "- "+findingText(f)+"\n")
		}
	}
	if s.run.Command != "check" {
		return section{}
	}
	head := "\n### Models\n\n"
	if len(rows) == 0 {
		if !s.ranPhase("models") {
			return section{head: head + "Not compared: give `models-sql`, `models-cmd` or `models-sqlalchemy`.\n", name: "the models", first: true}
		}
		return section{head: head + "✅ The schema after the last migration matches the models.\n" + s.notes(), name: "the models", first: true}
	}
	return section{head: head + "The schema after the last migration differs from the models:\n\n", rows: rows, what: "differences", tail: s.notes(), name: "the models", first: true}
}

// maxNotesShown bounds the notes listed in the summary; the JSON report
// has them all.
const maxNotesShown = 50

// notes is the collapsed list of objects the models name otherwise.
func (s *summary) notes() string {
	if len(s.r.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n<details><summary>%s named otherwise in the models, with the same definition: not drift</summary>\n\n",
		plural(len(s.r.Notes), "object"))
	for i, n := range s.r.Notes {
		if i == maxNotesShown {
			fmt.Fprintf(&b, "- … and %d more: the JSON report has them all\n", len(s.r.Notes)-i)
			break
		}
		b.WriteString("- " + cell(n.Message) + "\n")
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

func (s *summary) ranPhase(name string) bool {
	for _, t := range s.run.Timings {
		if t.Phase == name {
			return true
		}
	}
	return false
}

func (s *summary) allFindings() section {
	if len(s.r.Findings) == 0 {
		return section{}
	}
	sec := section{
		head: fmt.Sprintf("\n<details><summary>All %s</summary>\n\n| | rule | phase | where | message |\n|---|---|---|---|---|\n", plural(len(s.r.Findings), "finding")),
		tail: "\n</details>\n",
		what: "findings", name: "all findings",
	}
	for _, f := range s.r.Findings {
		loc := place(s.r, f)
		where := "—"
		if loc.File != "" {
			loc.File = repoPath(loc.File, s.opts.Root)
			where = "`" + loc.String() + "`"
		}
		msg := cell(f.Message)
		if f.Help != "" {
			msg += "<br>*" + cell(f.Help) + "*"
		}
		sec.rows = append(sec.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", severityIcon[f.Severity], f.Rule, f.Phase, where, msg))
	}
	return sec
}

func (s *summary) unchanged() section {
	if s.run.ChangedSince == "" {
		return section{}
	}
	var rows []string
	for _, m := range s.r.Migrations {
		if !slices.Contains(s.run.Changed, m.ID) {
			rows = append(rows, "- "+cell(m.ID+" "+m.Name)+"\n")
		}
	}
	if len(rows) == 0 {
		return section{}
	}
	how := "linted; findings are reported only for the change"
	if s.run.Command == "check" {
		how = "applied before the change (those before the first changed one in a fast pass); findings are reported only for the change"
	}
	return section{
		head: fmt.Sprintf("\n<details><summary>%s not changed by this change</summary>\n\nThey were %s.\n\n", plural(len(rows), "migration"), how),
		rows: rows, tail: "\n</details>\n", what: "migrations", name: "the migrations not changed",
	}
}

func (s *summary) timings() string {
	if len(s.run.Timings) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Time\n\n| phase | took |\n|---|---:|\n")
	var total time.Duration
	for _, t := range s.run.Timings {
		total += time.Duration(t.Took)
		fmt.Fprintf(&b, "| %s | %s |\n", t.Phase, roundDuration(time.Duration(t.Took)))
	}
	fmt.Fprintf(&b, "| **total** | **%s** |\n", roundDuration(total))
	return b.String()
}

func roundDuration(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func (s *summary) footer() string {
	var files []string
	if s.opts.ReportPath != "" {
		files = append(files, "the JSON report `"+s.opts.ReportPath+"`")
	}
	if s.opts.SARIFPath != "" {
		files = append(files, "SARIF `"+s.opts.SARIFPath+"`")
	}
	out := "\n---\n"
	if len(files) > 0 {
		out += "Every finding is in " + strings.Join(files, " and ") + ". "
	}
	return out + "`schemagate explain RULE` says why a rule exists and what to do instead.\n"
}

// htmlEscaper escapes what would start markup; quotes need no escaping
// in Markdown text.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// cell makes s safe inside a Markdown table cell: HTML escaped, no pipes,
// line breaks as <br>.
func cell(s string) string {
	s = htmlEscaper.Replace(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "|", "&#124;")
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// code shows a statement on one line, at most 160 characters, in a cell.
func code(stmt string) string {
	stmt = strings.Join(strings.Fields(stmt), " ")
	if r := []rune(stmt); len(r) > 160 {
		stmt = string(r[:159]) + "…"
	}
	return "<code>" + strings.ReplaceAll(cell(stmt), "`", "&#96;") + "</code>"
}
