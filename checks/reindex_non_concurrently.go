package checks

import "github.com/schemagate/schemagate/internal/finding"

// ReindexNonConcurrently is not written yet.
var ReindexNonConcurrently = &Rule{
	ID:       "reindex-non-concurrently",
	Severity: finding.Warning,
	Phase:    finding.Lint,
	Doc:      Doc{Title: "TODO reindex-non-concurrently", Text: "TODO", Help: "TODO"},
	Run:      func(p *Pass) error { return nil },
}
