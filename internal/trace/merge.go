package trace

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/lockmode"
)

// rewriteRules are the static rules that claim a statement rewrites a
// table; lockRules those that claim it takes a lock blocking reads or
// writes on one (and may claim more: a scan, lost data).
var (
	rewriteRules = map[string]bool{
		"add-column-rewrite": true, "change-column-type": true, "vacuum-full": true, "cluster": true,
		// These rebuild what they name: the rebuild is the claim.
		"reindex-non-concurrently": true, "refresh-materialized-view-non-concurrently": true,
	}
	lockRules = map[string]bool{
		"create-index-non-concurrently": true, "drop-index-non-concurrently": true, "lock-table": true,
		"add-foreign-key-validated": true, "add-check-validated": true, "set-not-null": true,
		"add-unique-constraint": true, "add-primary-key": true,
		"rename-table": true, "rename-column": true, "drop-column": true, "drop-table": true, "truncate": true,
		// These are about how a blocking lock waits or how long it is held:
		// the trace's blocking-lock would tell the same story again.
		"missing-lock-timeout": true, "lock-held-across-statements": true,
	}
)

// Findings are the trace's own findings, as Merge would add them to no
// static findings: a table-rewrite for each statement that rewrote a
// relation that existed before its migration, a blocking-lock for each
// that took a lock blocking reads or writes on one.
func (t *Tracer) Findings() []finding.Finding { return Merge(nil, t.stmts, t.version) }

// Merge merges static with what the tracer saw: the function Merge with
// the tracer's statements and server version.
func (t *Tracer) Merge(static []finding.Finding) []finding.Finding {
	return Merge(static, t.stmts, t.version)
}

// Merge combines the findings of the other phases with what the trace saw
// on PostgreSQL version, statement by statement, and returns them all:
//
//   - a static finding that claims a rewrite (add-column-rewrite,
//     change-column-type, vacuum-full, cluster, reindex-non-concurrently,
//     refresh-materialized-view-non-concurrently) on a statement that did
//     rewrite is confirmed: its message says what the server did, and the
//     trace's own table-rewrite and blocking-lock findings on the
//     statement are dropped;
//   - such a claim on a traced statement that rewrote nothing is lowered
//     to a notice, and its message says that the server did not rewrite;
//   - a static finding that claims a blocking lock (create-index-
//     non-concurrently, set-not-null, drop-column, missing-lock-timeout,
//     ...) on a statement that took one is confirmed, and the trace's
//     blocking-lock finding on it is dropped; a lock the trace did not
//     see leaves the claim as it is (an earlier statement of the
//     transaction may hold it already, or the replay's data did not take
//     the branch that locks);
//   - what no static finding claims becomes a finding of the trace.
//
// Findings of statements the trace did not see (a failed migration, the
// replay's fast pass, down scripts) are returned as they are.
func Merge(static []finding.Finding, traced []StatementTrace, version int) []finding.Finding {
	type key struct{ migration, file string }
	at := map[key][]int{}
	for i, tr := range traced {
		k := key{tr.Migration, tr.File}
		at[k] = append(at[k], i)
	}
	rewriteTold := make([]bool, len(traced))
	lockTold := make([]bool, len(traced))
	out := make([]finding.Finding, 0, len(static)+len(traced)/4)
	for _, f := range static {
		isRewrite, isLock := rewriteRules[f.Rule], lockRules[f.Rule]
		if f.Phase != finding.Lint || f.Direction != finding.Up || !isRewrite && !isLock {
			out = append(out, f)
			continue
		}
		idx := statementsAt(traced, at[key{f.Migration, f.File}], f.Location)
		if len(idx) == 0 {
			out = append(out, f) // not traced
			continue
		}
		facts := combine(traced, idx)
		switch {
		case isRewrite && len(facts.rewrites) > 0:
			f.Message += fmt.Sprintf("; confirmed on PostgreSQL %d: %s", version, facts.describe(true))
			for _, i := range idx {
				rewriteTold[i], lockTold[i] = true, true
			}
		case isRewrite && zoneDependent(f):
			// timestamp to timestamptz (or back) rewrites nothing only
			// where the session's TimeZone is UTC, as the replay's may be:
			// the claim stands.
			f.Message += fmt.Sprintf("; PostgreSQL %d did not rewrite %s in the replay, but this change skips the rewrite only where the session's TimeZone is UTC, and production's may not be", version, facts.exclusive())
		case isRewrite:
			if f.Severity > finding.Notice {
				f.Severity = finding.Notice
			}
			f.Message += fmt.Sprintf("; not confirmed: PostgreSQL %d did not rewrite %s in the replay", version, facts.exclusive())
		case isLock && facts.locked():
			f.Message += fmt.Sprintf("; confirmed on PostgreSQL %d: %s", version, facts.describe(false))
			if f.Rule == "lock-held-across-statements" {
				f.Message += fmt.Sprintf(", held %s in the replay", duration(facts.held))
			}
			for _, i := range idx {
				lockTold[i] = true
			}
		}
		out = append(out, f)
	}
	var own []finding.Finding
	for i := range traced {
		tr := &traced[i]
		if len(tr.Rewrites) > 0 && !rewriteTold[i] {
			own = appendOnce(own, tr.finding(checks.TableRewrite, rewriteMessage(tr)))
		}
		if !lockTold[i] {
			if msg := lockMessage(tr); msg != "" {
				own = appendOnce(own, tr.finding(checks.BlockingLock, msg))
			}
		}
	}
	return append(out, own...)
}

// zoneDependent: a change-column-type between timestamp and timestamptz
// (either way; from an unknown type to either), whose rewrite PostgreSQL
// skips only when the session's TimeZone is UTC.
func zoneDependent(f finding.Finding) bool {
	if f.Rule != "change-column-type" {
		return false
	}
	m := typeChange.FindStringSubmatch(f.Message)
	if m == nil {
		return false
	}
	to, from := zone(m[1]), zone(m[3])
	return to != "" && (from == "" && m[3] == "" || from != "" && from != to)
}

// typeChange reads change-column-type's message: the new type, and the
// old one when known.
var typeChange = regexp.MustCompile(`TYPE (.+?)( \(from (.+?)\)| takes )`)

// zone is "with" or "without" for a timestamp type, "" for another.
func zone(t string) string {
	t = strings.ToLower(t)
	if i := strings.IndexByte(t, '('); i >= 0 {
		j := strings.IndexByte(t[i:], ')')
		if j < 0 {
			return ""
		}
		t = t[:i] + t[i+j+1:]
	}
	switch strings.TrimSpace(t) {
	case "timestamptz", "timestamp with time zone":
		return "with"
	case "timestamp", "timestamp without time zone":
		return "without"
	}
	return ""
}

// statementsAt picks, of the traced statements idx, those at loc: whose
// lines hold loc's line, narrowed to the one whose columns hold it too when
// several statements share the line.
func statementsAt(traced []StatementTrace, idx []int, loc finding.Location) []int {
	var lines, exact []int
	for _, i := range idx {
		tr := &traced[i]
		if loc.Line < tr.Line || loc.Line > tr.EndLine {
			continue
		}
		lines = append(lines, i)
		after := loc.Line > tr.Line || loc.Column >= tr.Column
		before := loc.Line < tr.EndLine || loc.Column < tr.endCol
		if after && before {
			exact = append(exact, i)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return lines
}

// facts are the trace of the statements a static finding points at.
type facts struct {
	locks    []Lock
	rewrites []rel
	held     time.Duration
}

func combine(traced []StatementTrace, idx []int) facts {
	var f facts
	for _, i := range idx {
		f.locks = append(f.locks, traced[i].Locks...)
		f.rewrites = append(f.rewrites, traced[i].rewrites...)
		f.held = max(f.held, traced[i].Held)
	}
	return f
}

func (f facts) locked() bool {
	for _, l := range f.locks {
		if lockmode.Parse(l.Mode).Blocking() {
			return true
		}
	}
	return false
}

// describe: "ACCESS EXCLUSIVE on public.users, table rewritten".
func (f facts) describe(rewrites bool) string {
	var parts []string
	locked := map[string]bool{}
	for _, l := range f.locks {
		if lockmode.Parse(l.Mode).Blocking() {
			parts = append(parts, l.Mode+" on "+l.Relation)
			locked[l.Relation] = true
		}
	}
	if rewrites && len(f.rewrites) > 0 {
		tables, lone := groupRewrites(f.rewrites)
		if len(tables) == 1 && len(lone) == 0 && locked[tables[0].name] {
			parts = append(parts, kindName(tables[0].kind)+" rewritten")
		} else {
			parts = append(parts, summary(tables, lone, f.rewrites))
		}
	}
	return strings.Join(parts, ", ")
}

// exclusive names the relations the statement locked ACCESS EXCLUSIVE,
// which are those a rewrite would have copied.
func (f facts) exclusive() string {
	var names []string
	for _, l := range f.locks {
		if lockmode.Parse(l.Mode) == lockmode.AccessExclusive {
			names = append(names, l.Relation)
		}
	}
	if len(names) == 0 {
		return "any table that existed before the migration"
	}
	return strings.Join(names, ", ")
}

// groupRewrites splits rewritten relations into tables (and materialized
// views) and the indexes whose table was not rewritten with them.
func groupRewrites(rs []rel) (tables, lone []rel) {
	rewritten := map[uint32]bool{}
	for _, r := range rs {
		if !r.isIndex() {
			tables = append(tables, r)
			rewritten[r.oid] = true
		}
	}
	for _, r := range rs {
		if r.isIndex() && !rewritten[r.table] {
			lone = append(lone, r)
		}
	}
	return tables, lone
}

// summary: "rewrote table public.users and its 2 indexes, rebuilt index
// public.orders_key".
func summary(tables, lone, all []rel) string {
	var parts []string
	for _, t := range tables {
		s := "rewrote " + kindName(t.kind) + " " + t.name
		n := 0
		for _, r := range all {
			if r.isIndex() && r.table == t.oid {
				n++
			}
		}
		switch {
		case n == 1:
			s += " and its index"
		case n > 1:
			s += fmt.Sprintf(" and its %d indexes", n)
		}
		parts = append(parts, s)
	}
	for _, r := range lone {
		parts = append(parts, "rebuilt index "+r.name)
	}
	return strings.Join(parts, ", ")
}

func rewriteMessage(tr *StatementTrace) string {
	tables, lone := groupRewrites(tr.rewrites)
	msg := summary(tables, lone, tr.rewrites)
	first := tr.rewrites[0].name
	for _, l := range tr.Locks {
		if l.Relation == first && lockmode.Parse(l.Mode).Blocking() {
			msg += fmt.Sprintf(" under %s lock held %s in the replay", lockmode.Parse(l.Mode).Article(), duration(tr.Held))
			break
		}
	}
	return msg + ": on a large table every read and write waits for the copy"
}

// lockMessage describes the blocking locks of tr, "" for none. Locks on
// relations it rewrote are left out: the rewrite, reported by the trace or
// confirmed on a static finding, names them.
func lockMessage(tr *StatementTrace) string {
	rewritten := map[string]bool{}
	for _, r := range tr.rewrites {
		rewritten[r.name] = true
	}
	var parts []string
	for _, l := range tr.Locks {
		m := lockmode.Parse(l.Mode)
		if !m.Blocking() || rewritten[l.Relation] {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s lock on %s, which blocks %s", m.Article(), l.Relation, m.Blocked()))
	}
	if len(parts) == 0 {
		return ""
	}
	msg := "took " + strings.Join(parts, ", and ") + fmt.Sprintf("; held %s in the replay, until its transaction ended", duration(tr.Held))
	switch tr.LockTimeout {
	case "":
	case "0":
		msg += "; no lock_timeout was set"
	default:
		msg += "; lock_timeout was " + tr.LockTimeout
	}
	return msg
}

func (tr *StatementTrace) finding(r *checks.Rule, msg string) finding.Finding {
	return finding.Finding{
		Rule: r.ID, Severity: r.Severity, Phase: finding.Trace, Migration: tr.Migration, Direction: finding.Up,
		Location: tr.location(), Message: msg, Help: r.Doc.Help, Excerpt: tr.excerpt,
	}
}

// appendOnce adds f, or joins its message to a finding of the same rule
// already on its line: one problem is reported once per line.
func appendOnce(fs []finding.Finding, f finding.Finding) []finding.Finding {
	for i := range fs {
		if fs[i].Rule == f.Rule && fs[i].File == f.File && fs[i].Line == f.Line {
			fs[i].Message += "; " + f.Message
			return fs
		}
	}
	return append(fs, f)
}

// duration rounds a hold time for messages: "4ms", "1.52s", "310µs".
func duration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Microsecond).String()
}
