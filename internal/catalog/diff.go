package catalog

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Change is one object that differs between two snapshots.
type Change struct {
	Kind, Name string
	// Before is the definition in the first snapshot, "" when the object
	// is new in the second; After is the definition in the second, ""
	// when the object is missing from it.
	Before, After string
}

// Diff lists the objects that differ between a and b, sorted by kind (in
// the order of the package documentation) and then by name. A nil
// snapshot is empty.
func Diff(a, b *Snapshot) []Change {
	var cs []Change
	if keys, ok := a.changedUntil(b); ok {
		// Snapshots of one Logged, a few apart: the other keys are the
		// same objects in both.
		seen := make(map[string]bool, len(keys))
		for _, k := range keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			oa, inA := a.Lookup(k)
			ob, inB := b.Lookup(k)
			switch {
			case inA && !inB:
				cs = append(cs, Change{Kind: oa.Kind, Name: oa.Name, Before: oa.Def})
			case !inA && inB:
				cs = append(cs, Change{Kind: ob.Kind, Name: ob.Name, After: ob.Def})
			case inA && inB && oa.Def != ob.Def:
				cs = append(cs, Change{Kind: oa.Kind, Name: oa.Name, Before: oa.Def, After: ob.Def})
			}
		}
		sort.Slice(cs, func(i, j int) bool { return less(cs[i].Kind, cs[i].Name, cs[j].Kind, cs[j].Name) })
		return cs
	}
	ao, bo := a.Objects(), b.Objects()
	for k, oa := range ao {
		ob, ok := bo[k]
		switch {
		case !ok:
			cs = append(cs, Change{Kind: oa.Kind, Name: oa.Name, Before: oa.Def})
		case oa.Def != ob.Def:
			cs = append(cs, Change{Kind: oa.Kind, Name: oa.Name, Before: oa.Def, After: ob.Def})
		}
	}
	for k, ob := range bo {
		if _, ok := ao[k]; !ok {
			cs = append(cs, Change{Kind: ob.Kind, Name: ob.Name, After: ob.Def})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return less(cs[i].Kind, cs[i].Name, cs[j].Kind, cs[j].Name) })
	return cs
}

// kindOrder is the order in which kinds are reported: containers before
// their contents, types before what uses them.
var kindOrder = []string{
	"schema", "extension", "collation", "type", "enum", "domain", "sequence",
	"table", "foreign table", "column", "constraint", "index",
	"view", "materialized view", "function", "procedure", "aggregate",
	"trigger", "rule", "policy", "statistics", "server", "event trigger",
}

var kindRank = func() map[string]int {
	m := make(map[string]int, len(kindOrder))
	for i, k := range kindOrder {
		m[k] = i
	}
	return m
}()

func rank(kind string) int {
	if r, ok := kindRank[kind]; ok {
		return r
	}
	return len(kindOrder)
}

func less(kind1, name1, kind2, name2 string) bool {
	if r1, r2 := rank(kind1), rank(kind2); r1 != r2 {
		return r1 < r2
	}
	if kind1 != kind2 {
		return kind1 < kind2
	}
	return name1 < name2
}

// String describes the change for people, on one line:
//
//	column public.users.nickname: before character varying(30), after character varying(50)
//	index public.ix_users_email: missing after (was CREATE INDEX ix_users_email ON public.users USING btree (email))
//	table public.audit: new (not there before)
//
// Line breaks and runs of spaces in definitions are shown as one space.
// When the definitions are long, only the part around the first
// difference is shown, between "…".
func (c Change) String() string {
	head := c.Kind + " " + c.Name + ": "
	switch {
	case c.Before == "":
		return head + "new (not there before)"
	case c.After == "":
		return head + "missing after (was " + clip(oneLine(c.Before), maxShown) + ")"
	}
	before, after := around(c.Before, c.After)
	return head + "before " + before + ", after " + after
}

// maxShown is the length beyond which a definition is shortened.
const maxShown = 200

// contextLen is how much of the common text is kept on each side of a
// difference in a shortened definition.
const contextLen = 40

// oneLine collapses every run of white space into one space.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\t\r") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to about n bytes, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Around returns two definitions as Change.String shows them: whole and on
// one line when they are short, else the region where they differ with
// some context, between "…".
func Around(a, b string) (string, string) { return around(a, b) }

// around returns the two definitions as they are shown: whole when they
// are short, else the region where they differ with some context.
func around(a, b string) (string, string) {
	la, lb := oneLine(a), oneLine(b)
	if la == lb {
		// The difference is only in white space: show it.
		la, lb = strconv.Quote(a), strconv.Quote(b)
	}
	if len(la) <= maxShown && len(lb) <= maxShown {
		return la, lb
	}
	// Common prefix and suffix, not overlapping.
	p := 0
	for p < len(la) && p < len(lb) && la[p] == lb[p] {
		p++
	}
	s := 0
	for s < len(la)-p && s < len(lb)-p && la[len(la)-1-s] == lb[len(lb)-1-s] {
		s++
	}
	// Cut at spaces where there is one near, else at a rune boundary.
	start := max(p-contextLen, 0)
	if i := strings.IndexByte(la[start:p], ' '); start > 0 && i >= 0 && i < contextLen/2 {
		start += i + 1
	}
	for start > 0 && !utf8.RuneStart(la[start]) {
		start--
	}
	window := func(x string) string {
		from := len(x) - s // the common suffix starts here
		end := min(from+contextLen, len(x))
		if i := strings.LastIndexByte(x[from:end], ' '); end < len(x) && i >= 0 && end-(from+i) < contextLen/2 {
			end = from + i
		}
		for end < len(x) && !utf8.RuneStart(x[end]) {
			end++
		}
		out := clip(x[start:end], maxShown)
		if start > 0 {
			out = "…" + out
		}
		if end < len(x) && !strings.HasSuffix(out, "…") {
			out += "…"
		}
		return out
	}
	return window(la), window(lb)
}

// changeLog keeps, for the last snapshots of a Logged, the keys each one
// removed or printed again: every other key is the same object as in the
// snapshot before it.
type changeLog struct {
	gens    [changeLogSize]int
	touched [changeLogSize][]string
}

// changeLogSize is how many snapshots back Diff can use a changeLog: a
// replay compares snapshots two apart.
const changeLogSize = 8

func (c *changeLog) add(gen int, touched []string) {
	c.gens[gen%changeLogSize], c.touched[gen%changeLogSize] = gen, touched
}

// changedUntil returns the keys that may differ between s and a later
// snapshot of the same Logged, when the log still holds every step.
func (s *Snapshot) changedUntil(later *Snapshot) ([]string, bool) {
	if s == nil || later == nil || s.changes == nil || s.changes != later.changes ||
		later.gen < s.gen || later.gen-s.gen >= changeLogSize {
		return nil, false
	}
	var keys []string
	for g := s.gen + 1; g <= later.gen; g++ {
		if s.changes.gens[g%changeLogSize] != g {
			return nil, false
		}
		keys = append(keys, s.changes.touched[g%changeLogSize]...)
	}
	return keys, true
}
