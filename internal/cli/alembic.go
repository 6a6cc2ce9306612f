package cli

import (
	"context"
	"fmt"

	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/alembic"
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
// at the line that raised. They are replay findings (up-fails, down-fails):
// the offline run of the revision is where it failed, as `alembic upgrade
// --sql` would.
func (d *discovered) failures() []finding.Finding {
	if d.alembic == nil {
		return nil
	}
	var out []finding.Finding
	for _, f := range d.alembic.Failures {
		rule := checks.Lookup(f.Direction + "-fails")
		fn := "upgrade"
		if f.Direction == "down" {
			fn = "downgrade"
		}
		loc, excerpt := checks.LocateOrigin(&migrations.Origin{Path: f.Err.Path, Line: f.Err.Line, Text: f.Err.Text})
		if f.Err.Path == "" {
			loc, excerpt = finding.Location{File: f.Migration.Up.Path()}, ""
		}
		out = append(out, finding.Finding{
			Rule: rule.ID, Severity: rule.Severity, Phase: finding.Replay,
			Migration: f.Migration.ID, Direction: finding.Direction(f.Direction),
			Location: loc, Excerpt: excerpt,
			Message: fmt.Sprintf("%s() raised when Alembic generated its SQL (offline mode): %s: %s", fn, f.Err.Type, f.Err.Message),
			Help:    fmt.Sprintf("fix the revision so that `alembic %s --sql` runs it; schemagate gets the SQL the same way", fn),
		})
	}
	return out
}
