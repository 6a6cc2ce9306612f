package testdb

import "golang.org/x/sys/unix"

// inMemory reports whether dir is a tmpfs with at least room bytes free.
func inMemory(dir string, room uint64) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Type == unix.TMPFS_MAGIC && st.Bavail*uint64(st.Bsize) >= room
}
