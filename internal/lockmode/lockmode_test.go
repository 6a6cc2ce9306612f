package lockmode

import "testing"

// The conflict table is PostgreSQL's: symmetric, and what each mode
// blocks is what the documentation says.
func TestConflicts(t *testing.T) {
	for _, a := range All {
		for _, b := range All {
			if a.Conflicts().Has(b) != b.Conflicts().Has(a) {
				t.Errorf("%s and %s conflict one way only", a, b)
			}
		}
	}
	const weak = "nothing but schema changes and maintenance"
	want := map[Mode]string{
		AccessShare: weak, RowShare: weak, RowExclusive: weak, ShareUpdateExclusive: weak,
		Share: "writes", ShareRowExclusive: "writes",
		Exclusive: "writes and SELECT ... FOR UPDATE", AccessExclusive: "reads and writes",
	}
	for m, w := range want {
		if got := m.Blocked(); got != w {
			t.Errorf("%s blocks %q, want %q", m, got, w)
		}
		if m.Blocking() != (w != weak) {
			t.Errorf("%s: Blocking() = %v", m, m.Blocking())
		}
	}
	for _, c := range []struct {
		m    Mode
		held Set
		want bool
	}{
		{Share, SetOf(AccessExclusive), true},
		{AccessExclusive, SetOf(Share), false},
		{ShareUpdateExclusive, SetOf(Share), false}, // SHARE does not conflict with SHARE
		{ShareUpdateExclusive, SetOf(ShareRowExclusive), true},
		{AccessShare, SetOf(RowExclusive), true}, // both only keep ACCESS EXCLUSIVE waiting
		{RowExclusive, SetOf(Share, RowShare), false},
		{RowExclusive, SetOf(ShareRowExclusive), true},
	} {
		if got := Covered(c.m, c.held); got != c.want {
			t.Errorf("Covered(%s, %b) = %v, want %v", c.m, c.held, got, c.want)
		}
	}
}

// Every mode reads back from its own spelling and from pg_locks'.
func TestNames(t *testing.T) {
	pg := map[Mode]string{
		AccessShare: "AccessShareLock", RowShare: "RowShareLock", RowExclusive: "RowExclusiveLock",
		ShareUpdateExclusive: "ShareUpdateExclusiveLock", Share: "ShareLock",
		ShareRowExclusive: "ShareRowExclusiveLock", Exclusive: "ExclusiveLock", AccessExclusive: "AccessExclusiveLock",
	}
	for _, m := range All {
		if Parse(m.String()) != m || FromPGLocks(pg[m]) != m {
			t.Errorf("%s does not read back", m)
		}
	}
	if Parse("SHARE LOCK") != None || FromPGLocks("AdvisoryLock") != None {
		t.Error("an unknown spelling is a mode")
	}
	if AccessExclusive.Article() != "an ACCESS EXCLUSIVE" || Share.Article() != "a SHARE" {
		t.Errorf("articles: %q, %q", AccessExclusive.Article(), Share.Article())
	}
}
