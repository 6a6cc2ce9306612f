package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/alembic"
	"github.com/schemagate/schemagate/internal/config"
	"github.com/schemagate/schemagate/internal/finding"
	"github.com/schemagate/schemagate/internal/migrations"
)

// discovered is what discovery found in one path.
type discovered struct {
	ms []migrations.Migration
	// loadErr holds the files that could not be loaded (*LoadErrors).
	loadErr error
	// alembic is set for an Alembic project: its SQL came from Alembic.
	alembic *alembic.Project
	// root is the directory loaded. When the user named one revision file
	// or the versions directory of an Alembic project, root is the
	// project and only that path: the whole history is loaded (a revision
	// is judged against what the earlier ones created), and only what is
	// in only is reported.
	root, only string
}

// discover loads the migrations at path; for Alembic it also runs Alembic,
// once for every revision, to get their SQL.
func (c *common) discover(ctx context.Context, path string) (*discovered, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, c.noDirError(path, err)
	}
	c.dir = path
	d := &discovered{root: path}
	if c.format == "" || c.format == "auto" || c.format == (migrations.Alembic{}).Name() {
		if root, ok := migrations.AlembicProject(path); ok {
			d.root, d.only = root, path
		}
	}
	f, ms, loadErr := migrations.Discover(d.root, c.format)
	if ms == nil && loadErr != nil {
		return nil, loadErr
	}
	d.ms, d.loadErr = ms, loadErr
	if f.Name() == (migrations.Alembic{}).Name() {
		p, err := alembic.Generate(ctx, d.root, c.python, ms)
		if err != nil {
			return nil, err
		}
		d.alembic = p
	}
	return d, nil
}

// failures are the revisions that raised when Alembic ran them offline,
// at the line that raised. They are replay findings (up-fails, down-fails):
// the offline run of the revision is where it failed, as `alembic upgrade
// --sql` would.
func (d *discovered) failures() []finding.Finding {
	if d.alembic == nil {
		return nil
	}
	var out []finding.Finding
	for _, f := range d.alembic.Failures {
		fn := functionOf(f)
		out = append(out, raisedAt(f, checks.Lookup(f.Direction+"-fails"),
			fmt.Sprintf("%s() raised when Alembic generated its SQL (offline mode): %s: %s", fn, f.Err.Type, f.Err.Message),
			fmt.Sprintf("fix the revision so that `alembic %s --sql` runs it; schemagate gets the SQL the same way", fn)))
	}
	return out
}

// partial are the data migrations whose SQL Alembic could write offline
// only up to their first read of the database: what follows is not linted
// (offline-sql-incomplete), at the line of that read.
func (d *discovered) partial() []finding.Finding {
	if d.alembic == nil {
		return nil
	}
	rule := checks.OfflineSQLIncomplete
	var out []finding.Finding
	for _, f := range d.alembic.Partial {
		out = append(out, raisedAt(f, rule,
			fmt.Sprintf("%s() of revision %s reads the database here, which Alembic cannot do offline: the statements after it are not linted "+
				"(where psycopg2 is installed, check runs the revision online and reports whether it fails and the schema it leaves, without linting or tracing them)", functionOf(f), f.Migration.ID),
			rule.Doc.Help))
	}
	return out
}

// functionOf names the revision's function that raised.
func functionOf(f alembic.Failure) string {
	return map[string]string{"up": "upgrade", "down": "downgrade"}[f.Direction]
}

// raisedAt is a finding of rule at the line where the revision raised
// offline (at its file when no line of the project's is in the traceback).
func raisedAt(f alembic.Failure, rule *checks.Rule, msg, help string) finding.Finding {
	loc, excerpt := checks.LocateOrigin(&migrations.Origin{Path: f.Err.Path, Line: f.Err.Line, Text: f.Err.Text})
	if f.Err.Path == "" {
		loc, excerpt = finding.Location{File: f.Migration.Up.Path()}, ""
	}
	return finding.Finding{
		Rule: rule.ID, Severity: rule.Severity, Phase: rule.Phase,
		Migration: f.Migration.ID, Direction: finding.Direction(f.Direction),
		Location: loc, Excerpt: excerpt, Message: msg, Help: help,
	}
}

// noDirError says where the missing migrations path came from, and how to
// name the right one.
func (c *common) noDirError(path string, err error) error {
	if c.cfg != nil && c.cfg.Migrations != "" && path == c.defaultDir() {
		return fmt.Errorf("find migrations: %w; the migrations: setting of %s names it (relative to that file): correct it, or give the migrations directory as an argument", err, c.cfg.Path)
	}
	return fmt.Errorf("find migrations: %w; give the migrations directory as the argument, or set migrations: in %s", err, config.FileName)
}

// userPath returns file as the user named it when it is under the path the
// user gave ("x.py" rather than "../../migrations/versions/x.py"), and
// whether it is; always true, and file unchanged, when the user named the
// whole project.
func (d *discovered) userPath(file string) (string, bool) {
	if d.only == "" {
		return file, true
	}
	only, err1 := filepath.Abs(d.only)
	abs, err2 := filepath.Abs(file)
	if err1 != nil || err2 != nil {
		return file, false
	}
	if abs == only {
		return d.only, true
	}
	if rel, ok := strings.CutPrefix(abs, only+string(filepath.Separator)); ok {
		return filepath.Join(d.only, rel), true
	}
	return file, false
}

// keep narrows what lint reports to the path the user named: the findings
// in it and its migrations, with its paths as the user gave them.
func (d *discovered) keep(ms []migrations.Migration, fs []finding.Finding) ([]migrations.Migration, []finding.Finding) {
	if d.only == "" {
		return ms, fs
	}
	var keptMs []migrations.Migration
	for _, m := range ms {
		if p, ok := d.userPath(m.Up.Path()); ok {
			// Up and Down share the generated file; lint is done with it.
			m.Up.File.Path = p
			keptMs = append(keptMs, m)
		}
	}
	var keptFs []finding.Finding
	for _, f := range fs {
		if p, ok := d.userPath(f.Location.File); ok {
			f.Location.File = p
			keptFs = append(keptFs, f)
		}
	}
	return keptMs, keptFs
}
