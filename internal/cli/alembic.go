package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

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
}

// discover loads the migrations at path; for Alembic it also runs Alembic,
// once for every revision, to get their SQL.
func (c *common) discover(ctx context.Context, path string) (*discovered, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, c.noDirError(path, err)
	}
	f, ms, loadErr := migrations.Discover(path, c.format)
	if ms == nil && loadErr != nil {
		return nil, loadErr
	}
	d := &discovered{ms: ms, loadErr: loadErr}
	if f.Name() == (migrations.Alembic{}).Name() {
		p, err := alembic.Generate(ctx, path, c.python, ms)
		if err != nil {
			return nil, err
		}
		d.alembic = p
	}
	return d, nil
}

// failures are the revisions that raised when Alembic ran them offline,
// at the line that raised.
func (d *discovered) failures() []finding.Finding {
	if d.alembic == nil {
		return nil
	}
	var out []finding.Finding
	for _, f := range d.alembic.Failures {
		rule := checks.Lookup(f.Direction + "-fails")
		loc, excerpt := checks.LocateOrigin(&migrations.Origin{Path: f.Err.Path, Line: f.Err.Line, Text: f.Err.Text})
		if f.Err.Path == "" {
			loc, excerpt = finding.Location{File: f.Migration.Up.Path()}, ""
		}
		out = append(out, finding.Finding{
			Rule: rule.ID, Severity: rule.Severity, Phase: finding.Lint,
			Migration: f.Migration.ID, Direction: finding.Direction(f.Direction),
			Location: loc, Excerpt: excerpt,
			Message: fmt.Sprintf("%s() raises when Alembic runs it: %s: %s", map[string]string{"up": "upgrade", "down": "downgrade"}[f.Direction], f.Err.Type, f.Err.Message),
			Help:    rule.Doc.Help,
		})
	}
	return out
}

// noDirError says where the missing migrations path came from, and how to
// name the right one.
func (c *common) noDirError(path string, err error) error {
	if c.cfg != nil && c.cfg.Migrations != "" && path == c.defaultDir() {
		return fmt.Errorf("find migrations: %w; the migrations: setting of %s names it (relative to that file): correct it, or give the migrations directory as an argument", err, c.cfg.Path)
	}
	return fmt.Errorf("find migrations: %w; give the migrations directory as the argument, or set migrations: in %s", err, config.FileName)
}
