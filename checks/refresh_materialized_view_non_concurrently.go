package checks

import "github.com/schemagate/schemagate/internal/finding"

// RefreshMaterializedViewNonConcurrently is not written yet.
var RefreshMaterializedViewNonConcurrently = &Rule{
	ID:       "refresh-materialized-view-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO refresh-materialized-view-non-concurrently", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
