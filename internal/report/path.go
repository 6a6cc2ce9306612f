package report

import (
	"path/filepath"
	"strings"

	"github.com/schemagate/schemagate/internal/finding"
)

// place is where the text, github and sarif reports show f: its own
// location, or, for a finding without a file (from replay, trace or history)
// that names its migration, that migration's file without a line, since the
// finding is about the migration as a whole. The JSON report keeps the
// finding as it is.
func place(r *Report, f finding.Finding) finding.Location {
	if f.File != "" {
		return f.Location
	}
	return finding.Location{File: migrationFile(r, f)}
}

// migrationFile is the file of f's migration in f's direction (up when the
// finding has no direction), or "".
func migrationFile(r *Report, f finding.Finding) string {
	if f.Migration == "" {
		return ""
	}
	for _, m := range r.Migrations {
		if m.ID != f.Migration {
			continue
		}
		if f.Direction == finding.Down && m.Down != "" {
			return m.Down
		}
		if m.Up != "" {
			return m.Up
		}
		return m.Down
	}
	return ""
}

// repoPath returns file as GitHub wants it: relative to root (the repository
// root) when root is set and file is inside it, cleaned, with forward
// slashes. A relative file is relative to the current directory, as on the
// command line; when only one of file and root is absolute, both are made
// absolute first. A file outside root comes back absolute when it could be
// made so, else as given.
func repoPath(file, root string) string {
	if root == "" {
		return filepath.ToSlash(filepath.Clean(file))
	}
	if filepath.IsAbs(file) != filepath.IsAbs(root) {
		absFile, errFile := filepath.Abs(file)
		absRoot, errRoot := filepath.Abs(root)
		if errFile == nil && errRoot == nil {
			file, root = absFile, absRoot
		}
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	return filepath.ToSlash(rel)
}
