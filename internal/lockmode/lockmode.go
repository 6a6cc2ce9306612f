// Package lockmode is PostgreSQL's table-level lock modes: how they are
// spelled, which conflict with which, and what each keeps the application
// from doing. The static rules (checks) and the live trace (internal/trace)
// describe locks in these same words.
package lockmode

import "strings"

// Mode is a table-level lock mode. The values are those of lockdefs.h,
// which is also what pg_query's LockStmt.Mode holds.
type Mode int32

// The modes, weakest first.
const (
	None Mode = iota
	AccessShare
	RowShare
	RowExclusive
	ShareUpdateExclusive
	Share
	ShareRowExclusive
	Exclusive
	AccessExclusive
	count
)

// names are the modes as the documentation and LOCK TABLE spell them;
// pgLocks as the mode column of pg_locks does.
var (
	names = [count]string{
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
		"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
	}
	pgLocks = map[string]Mode{
		"AccessShareLock": AccessShare, "RowShareLock": RowShare, "RowExclusiveLock": RowExclusive,
		"ShareUpdateExclusiveLock": ShareUpdateExclusive, "ShareLock": Share,
		"ShareRowExclusiveLock": ShareRowExclusive, "ExclusiveLock": Exclusive,
		"AccessExclusiveLock": AccessExclusive,
	}
)

// String is the mode as PostgreSQL spells it: "ACCESS EXCLUSIVE"; "" for
// None and for values that are no mode.
func (m Mode) String() string {
	if m <= None || m >= count {
		return ""
	}
	return names[m]
}

// Article is the mode with its indefinite article: "an ACCESS EXCLUSIVE".
func (m Mode) Article() string {
	s := m.String()
	if s != "" && strings.ContainsRune("AEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// Parse reads a mode as String spells it; None when s is none.
func Parse(s string) Mode {
	for m := AccessShare; m < count; m++ {
		if names[m] == s {
			return m
		}
	}
	return None
}

// FromPGLocks reads a mode as pg_locks.mode spells it ("ShareLock"); None
// when s is none (an advisory or a row-level lock).
func FromPGLocks(s string) Mode { return pgLocks[s] }

// Set is a set of modes.
type Set uint16

// SetOf is the set of ms.
func SetOf(ms ...Mode) Set {
	var s Set
	for _, m := range ms {
		s |= 1 << m
	}
	return s
}

// Has reports whether m is in s.
func (s Set) Has(m Mode) bool { return s&(1<<m) != 0 }

// conflicts is PostgreSQL's lock conflict table (lock.c, and the table
// "Conflicting Lock Modes" of the documentation): the modes each mode
// cannot be granted alongside.
var conflicts = [count]Set{
	AccessShare:          SetOf(AccessExclusive),
	RowShare:             SetOf(Exclusive, AccessExclusive),
	RowExclusive:         SetOf(Share, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareUpdateExclusive: SetOf(ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Share:                SetOf(RowExclusive, ShareUpdateExclusive, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareRowExclusive:    SetOf(RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Exclusive:            SetOf(RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	AccessExclusive:      SetOf(AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
}

// Conflicts is the set of modes m cannot be granted alongside.
func (m Mode) Conflicts() Set {
	if m <= None || m >= count {
		return 0
	}
	return conflicts[m]
}

// Conflicts is every mode that some mode of s conflicts with.
func (s Set) Conflicts() Set {
	var c Set
	for m := AccessShare; m < count; m++ {
		if s.Has(m) {
			c |= conflicts[m]
		}
	}
	return c
}

// Covered reports whether taking m while holding s blocks no one that s
// does not block already.
func Covered(m Mode, s Set) bool { return m.Conflicts()&^s.Conflicts() == 0 }

// BlocksReads: the mode conflicts with ACCESS SHARE, which SELECT takes.
func (m Mode) BlocksReads() bool { return m.Conflicts().Has(AccessShare) }

// BlocksWrites: the mode conflicts with ROW EXCLUSIVE, which INSERT,
// UPDATE, DELETE and MERGE take.
func (m Mode) BlocksWrites() bool { return m.Conflicts().Has(RowExclusive) }

// Blocking: the mode blocks plain reads or writes. SHARE UPDATE EXCLUSIVE
// and weaker modes only block schema changes and maintenance.
func (m Mode) Blocking() bool { return m.BlocksReads() || m.BlocksWrites() }

// Blocked says what the mode keeps the application from doing, for
// messages: "reads and writes", "writes"; for a mode that blocks neither,
// "nothing but schema changes and maintenance".
func (m Mode) Blocked() string {
	switch {
	case m.BlocksReads():
		return "reads and writes"
	case m == Exclusive:
		return "writes and SELECT ... FOR UPDATE"
	case m.BlocksWrites():
		return "writes"
	}
	return "nothing but schema changes and maintenance"
}

// All is every mode, weakest first.
var All = []Mode{AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive}

// Without is s less m.
func (s Set) Without(m Mode) Set { return s &^ (1 << m) }
