package checks

import "github.com/schemagate/schemagate/internal/finding"

// DropIndexNonConcurrently is not written yet.
var DropIndexNonConcurrently = &Rule{
	ID:       "drop-index-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO drop-index-non-concurrently", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
