package models

import (
	"github.com/schemagate/schemagate/checks"
	"github.com/schemagate/schemagate/internal/finding"
)

// ReportOptions say how drifts become findings.
type ReportOptions struct {
	// Alembic adds the op. calls of the fix to each finding's help.
	Alembic bool
	// Fallback is where a finding goes when the models' source does not
	// say where the object is defined: the last migration's file.
	Fallback finding.Location
	// FallbackMigration is the id of that migration.
	FallbackMigration string
	// Migrations are where the migrations create each object: an object
	// the models lack is reported where it is created
	// (MigrationPlaces).
	Migrations Places
}

// Findings turns drifts into models-drift findings, one per drift, at the
// place the models define the object (or its table) when it is known.
func Findings(drifts []Drift, places Places, opts ReportOptions) []finding.Finding {
	out := make([]finding.Finding, 0, len(drifts))
	for _, d := range drifts {
		f := finding.Finding{
			Rule: checks.ModelsDrift.ID, Severity: checks.ModelsDrift.Severity, Phase: finding.Models,
			Message: d.Message, Help: help(d, opts.Alembic),
		}
		if pl, ok := opts.Migrations.exact(d); ok && d.Models == "" {
			f.Location, f.Excerpt, f.Migration, f.Direction = pl.Location, pl.Excerpt, pl.Migration, finding.Up
		} else if pl, ok := places.Lookup(d); ok {
			f.Location, f.Excerpt = pl.Location, pl.Excerpt
		} else {
			f.Location, f.Migration = opts.Fallback, opts.FallbackMigration
			if f.Migration != "" {
				f.Direction = finding.Up
			}
		}
		out = append(out, f)
	}
	return out
}

func help(d Drift, alembic bool) string {
	var h string
	switch {
	case d.SQL == "":
		return "make the migrations define it as the models do: " + display(d.Models)
	case d.Migrations == "":
		h = "add a migration: " + d.SQL
	case d.Models == "":
		h = "add it to the models, or drop it in a migration: " + d.SQL
	default:
		h = "fix the models, or add a migration: " + d.SQL
	}
	if alembic && d.Alembic != "" {
		h += "\nAlembic: " + d.Alembic
	}
	return h
}
