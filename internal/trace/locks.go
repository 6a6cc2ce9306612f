package trace

import "strings"

// mode is a PostgreSQL table-level lock mode, numbered as in lockdefs.h (and
// as checks/helpers_tables.go numbers them for the static rules).
type mode int

const (
	modeNone mode = iota
	modeAccessShare
	modeRowShare
	modeRowExclusive
	modeShareUpdateExclusive
	modeShare
	modeShareRowExclusive
	modeExclusive
	modeAccessExclusive
	numModes
)

// modeNames are the modes as the documentation and the static rules spell
// them; pgLockNames as pg_locks.mode does.
var (
	modeNames = [numModes]string{
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
		"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
	}
	pgLockNames = map[string]mode{
		"AccessShareLock": modeAccessShare, "RowShareLock": modeRowShare, "RowExclusiveLock": modeRowExclusive,
		"ShareUpdateExclusiveLock": modeShareUpdateExclusive, "ShareLock": modeShare,
		"ShareRowExclusiveLock": modeShareRowExclusive, "ExclusiveLock": modeExclusive,
		"AccessExclusiveLock": modeAccessExclusive,
	}
)

func (m mode) String() string {
	if m <= modeNone || m >= numModes {
		return ""
	}
	return modeNames[m]
}

// modeSet is a set of modes, one bit per mode.
type modeSet uint16

func (s modeSet) has(m mode) bool { return s&(1<<m) != 0 }

// conflicts is PostgreSQL's lock conflict table (lock.c, and the table
// "Conflicting Lock Modes" of the documentation): the modes each mode
// cannot be granted alongside.
var conflicts = [numModes]modeSet{
	modeAccessShare:          set(modeAccessExclusive),
	modeRowShare:             set(modeExclusive, modeAccessExclusive),
	modeRowExclusive:         set(modeShare, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
	modeShareUpdateExclusive: set(modeShareUpdateExclusive, modeShare, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
	modeShare:                set(modeRowExclusive, modeShareUpdateExclusive, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
	modeShareRowExclusive:    set(modeRowExclusive, modeShareUpdateExclusive, modeShare, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
	modeExclusive:            set(modeRowShare, modeRowExclusive, modeShareUpdateExclusive, modeShare, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
	modeAccessExclusive:      set(modeAccessShare, modeRowShare, modeRowExclusive, modeShareUpdateExclusive, modeShare, modeShareRowExclusive, modeExclusive, modeAccessExclusive),
}

func set(ms ...mode) modeSet {
	var s modeSet
	for _, m := range ms {
		s |= 1 << m
	}
	return s
}

// conflictsOf is every mode that some mode of s conflicts with.
func conflictsOf(s modeSet) modeSet {
	var c modeSet
	for m := modeAccessShare; m < numModes; m++ {
		if s.has(m) {
			c |= conflicts[m]
		}
	}
	return c
}

// covered reports whether taking m while holding s blocks no one that s
// does not block already.
func covered(m mode, s modeSet) bool {
	return conflicts[m]&^conflictsOf(s) == 0
}

// blocksReads: the mode conflicts with ACCESS SHARE, which SELECT takes.
func (m mode) blocksReads() bool { return conflicts[m].has(modeAccessShare) }

// blocksWrites: the mode conflicts with ROW EXCLUSIVE, which INSERT,
// UPDATE, DELETE and MERGE take.
func (m mode) blocksWrites() bool { return conflicts[m].has(modeRowExclusive) }

// blocking: the mode blocks plain reads or writes. SHARE UPDATE EXCLUSIVE
// and weaker modes only block schema changes and maintenance.
func (m mode) blocking() bool { return m.blocksReads() || m.blocksWrites() }

// blocked says what the mode blocks, in the words of the static rules.
func (m mode) blocked() string {
	switch {
	case m.blocksReads():
		return "reads and writes"
	case m == modeExclusive:
		return "writes and SELECT ... FOR UPDATE"
	case m.blocksWrites():
		return "writes"
	}
	return ""
}

// article is the mode with its indefinite article: "an ACCESS EXCLUSIVE".
func (m mode) article() string {
	s := m.String()
	if s != "" && strings.ContainsRune("AEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// parseMode reads a mode as Lock.Mode spells it.
func parseMode(s string) mode {
	for m := modeAccessShare; m < numModes; m++ {
		if modeNames[m] == s {
			return m
		}
	}
	return modeNone
}
