// Package history reads git to find which migrations a change adds or
// edits: --changed-since scopes the report to them, reports edits to
// migrations that already existed, and new migrations that sort before
// existing ones.
package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
)

// Changes are the files of a directory that differ from a git ref: added,
// edited and deleted, counting uncommitted and untracked files too.
type Changes struct {
	Ref string
	// Added and Modified hold absolute paths.
	Added, Modified map[string]bool
	// Deleted holds the paths, relative to the current directory, of files
	// that existed at Ref and are gone.
	Deleted []string
	// hunks holds, for each modified file (absolute path), the line ranges
	// of its new text that the change added or edited.
	hunks map[string][][2]int
}

// ErrUnknownRef says that the ref is not in the clone, usually a shallow one.
var ErrUnknownRef = errors.New("unknown git ref")

// Since compares dir with ref.
func Since(ctx context.Context, ref, dir string) (*Changes, error) {
	absDir, top, err := repoTop(ctx, dir)
	if err != nil {
		return nil, err
	}
	if !hasCommit(ctx, top, ref) {
		return nil, fmt.Errorf("--changed-since %s: %w: the clone does not have it; fetch it (git fetch origin %s), or with actions/checkout set fetch-depth: 0", ref, ErrUnknownRef, ref)
	}
	rel, err := filepath.Rel(top, absDir)
	if err != nil {
		return nil, err
	}
	c := &Changes{Ref: ref, Added: map[string]bool{}, Modified: map[string]bool{}, hunks: map[string][][2]int{}}
	out, err := git(ctx, top, "diff", "--name-status", "--no-renames", "-z", ref, "--", rel)
	if err != nil {
		return nil, err
	}
	fields := strings.Split(strings.TrimRight(out, "\x00"), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		status, path := fields[i], filepath.Join(top, fields[i+1])
		switch status[0] {
		case 'A':
			c.Added[path] = true
		case 'D':
			if p, err := filepath.Rel(mustWd(), path); err == nil {
				path = p
			}
			c.Deleted = append(c.Deleted, path)
		default:
			c.Modified[path] = true
		}
	}
	if len(c.Modified) > 0 {
		out, err := git(ctx, top, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", ref, "--", rel)
		if err != nil {
			return nil, err
		}
		c.readHunks(top, out)
	}
	out, err = git(ctx, top, "ls-files", "--others", "--exclude-standard", "-z", "--", rel)
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
		if p != "" {
			c.Added[filepath.Join(top, p)] = true
		}
	}
	return c, nil
}

// readHunks reads the new-side line ranges of a zero-context diff: the
// "+++ b/<path>" line names the file, each "@@ -a,b +c,d @@" adds lines c
// to c+d-1. A pure deletion (d = 0) changes no line of the new text; it
// sits after line c, and line c+1, which now follows what was deleted,
// counts as changed.
func (c *Changes) readHunks(top, diff string) {
	file := ""
	for _, line := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(line, "+++ "):
			file = ""
			if p, ok := strings.CutPrefix(line, "+++ b/"); ok {
				file = filepath.Join(top, p)
			}
		case strings.HasPrefix(line, "@@ ") && file != "":
			// "+c" alone means one line.
			start, n := 0, 1
			if _, err := fmt.Sscanf(hunkNew(line), "+%d,%d", &start, &n); err != nil {
				if _, err := fmt.Sscanf(hunkNew(line), "+%d", &start); err != nil {
					continue
				}
				n = 1
			}
			if n == 0 {
				c.hunks[file] = append(c.hunks[file], [2]int{start + 1, start + 1})
				continue
			}
			c.hunks[file] = append(c.hunks[file], [2]int{start, start + n - 1})
		}
	}
}

// hunkNew is the "+c,d" part of a hunk header.
func hunkNew(header string) string {
	for _, f := range strings.Fields(header)[1:] {
		if strings.HasPrefix(f, "+") {
			return f
		}
	}
	return ""
}

// LineChanged reports whether the change added or edited line of file
// (every line of a file it added). GitHub shows annotations on those lines
// in the pull request's diff; the others only in the checks tab.
func (c *Changes) LineChanged(file string, line int) bool {
	f := abs(file)
	if c.Added[f] {
		return true
	}
	if !c.Modified[f] {
		return false
	}
	if line <= 0 {
		return true // a finding about the whole file
	}
	for _, h := range c.hunks[f] {
		if line >= h[0] && line <= h[1] {
			return true
		}
	}
	return false
}

// repoTop returns dir made absolute (its directory, for a file) and the
// top of the git work tree holding it.
func repoTop(ctx context.Context, dir string) (absDir, top string, err error) {
	if absDir, err = filepath.Abs(dir); err != nil {
		return "", "", err
	}
	if fi, err := os.Stat(absDir); err == nil && !fi.IsDir() {
		absDir = filepath.Dir(absDir)
	}
	top, err = git(ctx, absDir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", "", fmt.Errorf("--changed-since needs a git repository: %w", err)
	}
	return absDir, strings.TrimSpace(top), nil
}

// Top is the top of the git work tree that holds dir.
func Top(ctx context.Context, dir string) (string, error) {
	_, top, err := repoTop(ctx, dir)
	return top, err
}

// hasCommit reports whether ref names a commit of the clone at top.
func hasCommit(ctx context.Context, top, ref string) bool {
	_, err := git(ctx, top, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	return err == nil
}

func mustWd() string {
	wd, _ := os.Getwd()
	return wd
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("git %s: %s", args[0], msg)
		}
		return "", fmt.Errorf("git %s: %w", args[0], err)
	}
	return string(out), nil
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// files lists the files of a migration.
func files(m *migrations.Migration) []string {
	var out []string
	for _, s := range []*migrations.Script{m.Up, m.Down} {
		// goose, dbmate, sql-migrate and Alembic keep up and down in one file.
		if s != nil && !slices.Contains(out, s.Path()) {
			out = append(out, s.Path())
		}
	}
	return out
}

// Changed reports whether the change added or edited a file of m.
func (c *Changes) Changed(m *migrations.Migration) bool {
	for _, f := range files(m) {
		if c.Added[abs(f)] || c.Modified[abs(f)] {
			return true
		}
	}
	return false
}

// isNew reports whether every file of m was added by the change.
func (c *Changes) isNew(m *migrations.Migration) bool {
	fs := files(m)
	for _, f := range fs {
		if !c.Added[abs(f)] {
			return false
		}
	}
	return len(fs) > 0
}

// FirstChanged is the position of the first migration the change touches,
// len(ms) when it touches none: the replay applies the ones before it in a
// fast pass.
func (c *Changes) FirstChanged(ms []migrations.Migration) int {
	for i := range ms {
		if c.Changed(&ms[i]) {
			return i
		}
	}
	return len(ms)
}

// InScope reports whether a finding concerns what the change touched: a
// file it added or edited, or the history itself.
func (c *Changes) InScope(f finding.Finding) bool {
	if f.Phase == finding.History || f.File == "" {
		return true
	}
	return c.Added[abs(f.File)] || c.Modified[abs(f.File)]
}

// Findings reports edits and deletions of migrations that existed at the
// ref, and new migrations that sort before the newest one that existed.
func (c *Changes) Findings(ms []migrations.Migration) []finding.Finding {
	var out []finding.Finding
	newestOld := -1
	for i := range ms {
		if !c.isNew(&ms[i]) {
			newestOld = i
		}
	}
	for i := range ms {
		m := &ms[i]
		for _, f := range files(m) {
			if c.Modified[abs(f)] {
				out = append(out, newFinding("migration-modified", m, f,
					fmt.Sprintf("migration %s existed at %s and was edited: databases that already applied it never run the new text", m.ID, c.Ref)))
			}
		}
		if c.isNew(m) && i < newestOld {
			out = append(out, newFinding("out-of-order", m, m.Up.Path(),
				fmt.Sprintf("new migration %s sorts before %s, which existed at %s: databases that applied %s skip it, or the tool refuses to run", m.ID, ms[newestOld].ID, c.Ref, ms[newestOld].ID)))
		}
	}
	for _, path := range c.Deleted {
		if !strings.HasSuffix(path, ".sql") && !strings.HasSuffix(path, ".py") {
			continue
		}
		r := checks.Lookup("migration-modified")
		out = append(out, finding.Finding{
			Rule: r.ID, Severity: r.Severity, Phase: finding.History,
			Location: finding.Location{File: path},
			Message:  fmt.Sprintf("migration file %s existed at %s and was deleted: databases that applied it keep its changes, and new ones never get them", path, c.Ref),
			Help:     r.Doc.Help,
		})
	}
	return out
}

func newFinding(rule string, m *migrations.Migration, path, msg string) finding.Finding {
	r := checks.Lookup(rule)
	return finding.Finding{
		Rule: rule, Severity: r.Severity, Phase: finding.History, Migration: m.ID,
		Location: finding.Location{File: path, Line: 1, Column: 1, EndLine: 1},
		Message:  msg, Help: r.Doc.Help,
	}
}

// Fetch makes sure that the commit ref is in the clone holding dir. A
// shallow clone (actions/checkout fetches one commit by default) lacks a
// pull request's base commit; Fetch then fetches that one commit, without
// its history, from the remote origin, which is all that comparing with it
// needs. It says what to set when that is not possible.
func Fetch(ctx context.Context, dir, ref string) (fetched bool, err error) {
	_, top, err := repoTop(ctx, dir)
	if err != nil {
		return false, err
	}
	if hasCommit(ctx, top, ref) {
		return false, nil
	}
	advice := "with actions/checkout, set fetch-depth: 2 (a pull request's merge commit and both its parents, the base among them), or fetch-depth: 0 (the whole history)"
	if _, err := git(ctx, top, "remote", "get-url", "origin"); err != nil {
		return false, fmt.Errorf("--changed-since %s: %w: the clone does not have it and has no remote origin to fetch it from; %s", ref, ErrUnknownRef, advice)
	}
	// A commit is fetched by its SHA; a remote-tracking branch
	// (origin/main) by its branch, into that ref.
	want := ref
	if branch, ok := strings.CutPrefix(ref, "origin/"); ok {
		want = "+refs/heads/" + branch + ":refs/remotes/origin/" + branch
	}
	if _, err := git(ctx, top, "fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", want); err != nil {
		return false, fmt.Errorf("--changed-since %s: %w: the clone does not have it and fetching it from origin failed (%v); %s", ref, ErrUnknownRef, err, advice)
	}
	if !hasCommit(ctx, top, ref) {
		return false, fmt.Errorf("--changed-since %s: %w: fetched from origin, but it is still not a commit of the clone; %s", ref, ErrUnknownRef, advice)
	}
	return true, nil
}
